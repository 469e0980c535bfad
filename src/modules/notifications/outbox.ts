// The outbox: a change that must be told writes its notice here, in its own transaction (ctx.db is
// that transaction), with one delivery row per robot that should carry it. A second write for the
// same cause (a retried request, a second process running the same rule) finds the cause key taken
// and adds nothing, so one cause is one notice.
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { type Audience, MUTABLE_KINDS, type NoticeKind } from './domain/notices.ts';
import { afterQuietHours } from './domain/robots.ts';

export interface Notice {
  /** Names the cause, e.g. "task:ID:returned:3": the idempotency key of the notice. */
  causeKey: string;
  kind: NoticeKind;
  /** The unit concerned: its group receives notices addressed to 'unit'. */
  unitId: string | null;
  audiences: readonly Audience[];
  title: string;
  /** zh-CN markdown without the link line, which is added here. */
  markdown: string;
  /** Path inside the console, e.g. /supervision/tasks/ID. */
  linkPath: string;
  /** Users to @ where the robot allows it. */
  mentionUserIds: readonly string[];
  /** Only these channels (the daily digest of one group). */
  channelIds?: readonly string[];
}

export interface ChannelRow {
  id: string;
  audience: string;
  unit_id: string | null;
  muted_kinds: string;
  quiet_from: string | null;
  quiet_to: string | null;
  digest: number;
}

/** Where a notice goes and in which state its delivery starts. Pure, for the outbox and its tests. */
export function fanOut(
  notice: Pick<Notice, 'kind' | 'unitId' | 'audiences' | 'channelIds'>,
  channels: readonly ChannelRow[],
  nowMs: number,
): { channelId: string; state: 'pending' | 'muted' | 'digest'; notBefore: number }[] {
  return channels
    .filter((c) =>
      notice.channelIds
        ? notice.channelIds.includes(c.id)
        : notice.audiences.some((a) => a === c.audience && (a !== 'unit' || c.unit_id === notice.unitId)),
    )
    .map((c) => {
      const muted = (JSON.parse(c.muted_kinds) as string[]).includes(notice.kind);
      const mutable = (MUTABLE_KINDS as readonly string[]).includes(notice.kind);
      const quiet = c.quiet_from && c.quiet_to ? { from: c.quiet_from, to: c.quiet_to } : null;
      return {
        channelId: c.id,
        state: mutable && muted ? 'muted' : mutable && c.digest === 1 ? 'digest' : 'pending',
        notBefore: afterQuietHours(nowMs, quiet),
      };
    });
}

/** Writes the notice and its deliveries; false when this cause was already told. */
export async function enqueueNotice(ctx: Ctx, notice: Notice): Promise<boolean> {
  const id = newId();
  // The path only: the worker puts the configured address in front (never a request's Host header).
  const link = notice.linkPath;
  const inserted = await ctx.db
    .insertInto('nt_outbox')
    .values({
      id,
      cause_key: notice.causeKey,
      kind: notice.kind,
      unit_id: notice.unitId,
      title: notice.title,
      markdown: notice.markdown,
      link,
      mention_user_ids: JSON.stringify(notice.mentionUserIds),
      created_at: nowIso(ctx),
    })
    .onConflict((oc) => oc.column('cause_key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  let channels = ctx.db
    .selectFrom('nt_channels')
    .select(['id', 'audience', 'unit_id', 'muted_kinds', 'quiet_from', 'quiet_to', 'digest']);
  // A notice for named robots (a test message, a digest) goes to them even if they are switched off.
  channels = notice.channelIds
    ? channels.where('id', 'in', [...notice.channelIds, ''])
    : channels.where('enabled', '=', 1);
  const rows = await channels.execute();
  const targets = fanOut(notice, rows, ctx.now.getTime());
  if (targets.length > 0) {
    await ctx.db
      .insertInto('nt_deliveries')
      .values(
        targets.map((t) => ({
          id: newId(),
          outbox_id: id,
          channel_id: t.channelId,
          state: t.state,
          attempts: 0,
          not_before: new Date(t.notBefore).toISOString(),
          created_at: nowIso(ctx),
        })),
      )
      .execute();
  }
  return true;
}
