// Each judge's personal invite link: issued, revoked, shown as a QR code and printed on a sheet. The
// token is a credential: a new link ends the old one and every session opened with it. Only its digest
// is stored; the link is derived again from the invite id for the sheet (platform/link-tokens.ts).
import QRCode from 'qrcode';
import { requireOrganizer } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso, requireLinkKey } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { linkToken, reprintToken, tokenDigest } from '../../platform/link-tokens.ts';
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
  const id = newId();
  const token = linkToken(requireLinkKey(ctx), 'invite', id);
  const createdAt = nowIso(ctx);
  await ctx.db
    .insertInto('invites')
    .values({
      id,
      judge_id: judgeId,
      event_id: eventId,
      token_hash: tokenDigest(token),
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
    .select(['invites.id', 'invites.judge_id', 'invites.token_hash', 'invites.created_at', 'judges.name'])
    .where('invites.event_id', '=', eventId)
    .where('invites.revoked_at', 'is', null)
    .orderBy('judges.sort')
    .orderBy('judges.id')
    .execute();
  const key = requireLinkKey(ctx);
  return rows.map((r) => {
    const token = reprintToken(key, 'invite', r.id, r.token_hash);
    return {
      judgeId: r.judge_id,
      judgeName: r.name,
      url: token === null ? null : inviteUrl(ctx, token),
      createdAt: r.created_at,
    };
  });
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

/** The live invite of a judge and its token, null when it cannot be derived again (reissue to print it). */
async function liveInvite(ctx: Ctx, judgeId: string): Promise<{ token: string | null } | null> {
  const inv = await ctx.db
    .selectFrom('invites')
    .select(['id', 'token_hash'])
    .where('judge_id', '=', judgeId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return inv ? { token: reprintToken(requireLinkKey(ctx), 'invite', inv.id, inv.token_hash) } : null;
}

const qrSvg = (url: string): Promise<string> => QRCode.toString(url, { type: 'svg', margin: 1 });

/** The QR code (SVG) of the judge's live invite link; 404 when the link was revoked. */
export async function inviteQrSvg(ctx: Ctx, eventId: string, judgeId: string): Promise<string> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  await judgeRow(ctx, eventId, judgeId);
  const token = (await liveInvite(ctx, judgeId))?.token;
  if (!token) throw new AppError('not_found', { what: 'invite' });
  return qrSvg(inviteUrl(ctx, token));
}

export interface InviteCard {
  judgeName: string;
  judgeTitle: string;
  panelName: string;
  /** Null when the judge's link has been revoked and not re-issued, or cannot be shown again. */
  url: string | null;
  /** A live link that signs in but cannot be shown again: issued before links were derived, or under another key. */
  reissueNeeded: boolean;
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
    const invite = await liveInvite(ctx, j.id);
    const url = invite?.token ? inviteUrl(ctx, invite.token) : null;
    cards.push({
      judgeName: j.name,
      judgeTitle: j.title,
      panelName: j.panel_name,
      url,
      reissueNeeded: invite !== null && invite.token === null,
      qrSvg: url ? await qrSvg(url) : null,
    });
  }
  return { eventTitle: event.title, cards };
}
