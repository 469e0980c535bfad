// Each judge's personal invite link: issued, revoked, shown as a QR code and printed on a sheet. The
// token is a credential: a new link ends the old one and every session opened with it.
import QRCode from 'qrcode';
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { newId, newToken } from '../../platform/ids.ts';
import { assertNotLocked, getEventRow, lockEventRow, withTransaction } from './event-view.ts';
import type { InviteView } from './schemas.ts';

export const inviteUrl = (ctx: Pick<Ctx, 'publicUrl'>, token: string): string =>
  `${ctx.publicUrl.replace(/\/+$/, '')}/judge/?t=${encodeURIComponent(token)}`;

async function judgeRow(ctx: Ctx, eventId: string, judgeId: string) {
  const j = await ctx.db
    .selectFrom('judges')
    .selectAll()
    .where('id', '=', judgeId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!j) throw new AppError('not_found', { what: 'judge' });
  return j;
}

/**
 * Revokes the judge's live invites and ends their sessions, then stores a new invite. No authorization,
 * no audit: callers do both.
 */
export async function insertInvite(
  ctx: Ctx,
  eventId: string,
  judgeId: string,
): Promise<{ token: string; createdAt: string }> {
  await revokeJudgeAccess(ctx, judgeId);
  const token = newToken();
  const createdAt = nowIso(ctx);
  await ctx.db
    .insertInto('invites')
    .values({
      id: newId(),
      judge_id: judgeId,
      event_id: eventId,
      token,
      created_at: createdAt,
      revoked_at: null,
    })
    .execute();
  return { token, createdAt };
}

/** A revoked link must stop working at once, including on a phone that already opened it. */
async function revokeJudgeAccess(ctx: Ctx, judgeId: string): Promise<number> {
  const r = await ctx.db
    .updateTable('invites')
    .set({ revoked_at: nowIso(ctx) })
    .where('judge_id', '=', judgeId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await ctx.db.deleteFrom('sessions').where('judge_id', '=', judgeId).execute();
  return Number(r.numUpdatedRows);
}

/** The live invite links of the event, one per judge that has one, in judge order. */
export async function listInvites(ctx: Ctx, eventId: string): Promise<InviteView[]> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  const rows = await ctx.db
    .selectFrom('invites')
    .innerJoin('judges', 'judges.id', 'invites.judge_id')
    .select(['invites.judge_id', 'invites.token', 'invites.created_at', 'judges.name'])
    .where('invites.event_id', '=', eventId)
    .where('invites.revoked_at', 'is', null)
    .orderBy('judges.sort')
    .orderBy('judges.id')
    .execute();
  return rows.map((r) => ({
    judgeId: r.judge_id,
    judgeName: r.name,
    url: inviteUrl(ctx, r.token),
    createdAt: r.created_at,
  }));
}

/** Issues a new personal link; the old one and every session opened with it stop working. */
export async function issueInvite(ctx: Ctx, eventId: string, judgeId: string): Promise<InviteView> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const j = await judgeRow(tctx, eventId, judgeId);
    const { token, createdAt } = await insertInvite(tctx, eventId, judgeId);
    // The token is a credential: the audit log records that a link was issued, never the link.
    await audit(tctx, { eventId, action: 'invite.issued', target: j.name });
    return { judgeId, judgeName: j.name, url: inviteUrl(tctx, token), createdAt };
  });
}

export async function revokeInvite(ctx: Ctx, eventId: string, judgeId: string): Promise<void> {
  requireOrganizer(ctx.actor);
  await withTransaction(ctx, async (tctx) => {
    assertNotLocked(await lockEventRow(tctx, eventId));
    const j = await judgeRow(tctx, eventId, judgeId);
    const revoked = await revokeJudgeAccess(tctx, judgeId);
    await audit(tctx, { eventId, action: 'invite.revoked', target: j.name, after: { revoked } });
  });
}

async function liveInviteToken(ctx: Ctx, judgeId: string): Promise<string | null> {
  const inv = await ctx.db
    .selectFrom('invites')
    .select('token')
    .where('judge_id', '=', judgeId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return inv?.token ?? null;
}

const qrSvg = (url: string): Promise<string> => QRCode.toString(url, { type: 'svg', margin: 1 });

/** The QR code (SVG) of the judge's live invite link; 404 when the link was revoked. */
export async function inviteQrSvg(ctx: Ctx, eventId: string, judgeId: string): Promise<string> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  await judgeRow(ctx, eventId, judgeId);
  const token = await liveInviteToken(ctx, judgeId);
  if (!token) throw new AppError('not_found', { what: 'invite' });
  return qrSvg(inviteUrl(ctx, token));
}

export interface InviteCard {
  judgeName: string;
  judgeTitle: string;
  panelName: string;
  /** Null when the judge's link has been revoked and not re-issued. */
  url: string | null;
  qrSvg: string | null;
}

/** Everything a printed QR sheet shows: every judge of the event, in judge order. */
export async function loadInviteSheet(
  ctx: Ctx,
  eventId: string,
): Promise<{ eventTitle: string; cards: InviteCard[] }> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  const judges = await ctx.db
    .selectFrom('judges')
    .innerJoin('panels', 'panels.id', 'judges.panel_id')
    .select(['judges.id', 'judges.name', 'judges.title', 'panels.name as panel_name'])
    .where('judges.event_id', '=', eventId)
    .orderBy('panels.sort')
    .orderBy('judges.sort')
    .orderBy('judges.id')
    .execute();
  const cards: InviteCard[] = [];
  for (const j of judges) {
    const token = await liveInviteToken(ctx, j.id);
    const url = token ? inviteUrl(ctx, token) : null;
    cards.push({
      judgeName: j.name,
      judgeTitle: j.title,
      panelName: j.panel_name,
      url,
      qrSvg: url ? await qrSvg(url) : null,
    });
  }
  return { eventTitle: event.title, cards };
}
