// The daily digest: groups that asked for one (a channel's `digest`) get their day's notices as one
// message at 08:30 China time instead of one by one. The day's run is claimed once per cluster, the
// digest is an outbox notice like any other (its cause key names the group and the day), and the
// gathered deliveries are marked in the same transaction, so each notice is in exactly one digest.
import type { Ctx } from '../../platform/context.ts';
import { runOncePerCluster } from '../../platform/scheduled.ts';
import { enqueueNotice } from './outbox.ts';

/** When the digest goes out, in minutes after midnight where the government sits. */
export const DIGEST_AT_MINUTES = 8 * 60 + 30;
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
      .where('d.state', '=', 'digest')
      .orderBy('d.created_at')
      .execute();
    const byChannel = new Map<string, typeof waiting>();
    for (const w of waiting) byChannel.set(w.channel_id, [...(byChannel.get(w.channel_id) ?? []), w]);
    for (const [channelId, items] of byChannel) {
      const lines = items.map((i, n) => `${n + 1}. [${i.title}](${i.link})`).join('\n');
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
