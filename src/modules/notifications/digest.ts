// The daily digest: groups that asked for one (a channel's `digest`) get their day's notices as one
// message at 08:30 China time instead of one by one. The day's run is claimed once per cluster, the
// digest is an outbox notice like any other (its cause key names the group and the day), and the
// gathered deliveries are marked in the same transaction, so each notice is in exactly one digest.
import type { Ctx } from '../../platform/context.ts';
import { runOncePerCluster } from '../../platform/scheduled.ts';
import { enqueueNotice } from './outbox.ts';

/** When the digest goes out, in minutes after midnight where the government sits. */
export const DIGEST_AT_MINUTES = 8 * 60 + 30;
/** Items listed in one digest; the rest are counted. */
export const DIGEST_MAX_ITEMS = 20;
const OFFSET_MS = 8 * 3_600_000;

export async function sendDigests(ctx: Ctx): Promise<number> {
  const local = ctx.now.getTime() + OFFSET_MS;
  if ((local % 86_400_000) / 60_000 < DIGEST_AT_MINUTES) return 0;
  const day = new Date(local).toISOString().slice(0, 10);
  let sent = 0;
  await runOncePerCluster(ctx.db, 'notifications.digest', day, ctx.now.toISOString(), async (trx) => {
    const waiting = await trx
      .selectFrom('nt_deliveries as d')
      .innerJoin('nt_outbox as o', 'o.id', 'd.outbox_id')
      .select(['d.id', 'd.channel_id', 'o.title', 'o.link'])
      .innerJoin('nt_channels as c', 'c.id', 'd.channel_id')
      .where('d.state', '=', 'digest')
      // A robot switched off keeps its items for the digest after it is switched on again.
      .where('c.enabled', '=', 1)
      .orderBy('d.created_at')
      .execute();
    const byChannel = new Map<string, typeof waiting>();
    for (const w of waiting) byChannel.set(w.channel_id, [...(byChannel.get(w.channel_id) ?? []), w]);
    for (const [channelId, items] of byChannel) {
      const base = ctx.publicUrl.replace(/\/$/, '');
      // A digest stays one readable message (WeCom takes 4,096 bytes): the first ones, then how many more.
      const shown = items.slice(0, DIGEST_MAX_ITEMS);
      const lines = [
        ...shown.map((i, n) => `${n + 1}. [${i.title}](${base}${i.link})`),
        ...(items.length > shown.length ? [`……另有 ${items.length - shown.length} 条，请登录查看`] : []),
      ].join('\n');
      await enqueueNotice(
        { ...ctx, db: trx },
        {
          causeKey: `digest:${channelId}:${day}`,
          kind: 'digest',
          unitId: null,
          audiences: [],
          channelIds: [channelId],
          title: `督办提醒日报（${items.length} 条）`,
          markdown: `#### 督办提醒日报 ${day}\n\n${lines}`,
          linkPath: '/supervision/inbox',
          mentionUserIds: [],
        },
      );
      await trx
        .updateTable('nt_deliveries')
        .set({ state: 'digested' })
        .where(
          'id',
          'in',
          items.map((i) => i.id),
        )
        .execute();
      sent++;
    }
  });
  return sent;
}
