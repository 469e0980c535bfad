// Reminders of indicator data: a unit whose actuals for a period are not reported (submitted or
// verified) hears of it in its group when the period's due date is near (within 3 days) and again once
// it is overdue (past the due date and its grace days). Run every hour, once per cluster; each notice's
// cause key names the unit, the period and which reminder it is, so nobody is told twice.
import type { Ctx } from '../../platform/context.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { runOncePerCluster } from '../../platform/scheduled.ts';
import { plainVars } from '../notifications/domain/notices.ts';
import { enqueueNotice } from '../notifications/index.ts';
import { isReported } from './domain/lights.ts';

const DUE_SOON_DAYS = 3;
const DAY = 86_400_000;
const frequencyOf: Record<string, string> = { month: 'monthly', quarter: 'quarterly' };

/** The date `days` after an ISO date. */
const plus = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export async function applyActualsReminders(ctx: Ctx): Promise<{ due: number; overdue: number }> {
  const today = new Date(ctx.now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const periods = await ctx.db
    .selectFrom('periods')
    .selectAll()
    .where('due_date', '<=', plus(today, DUE_SOON_DAYS))
    // Reminders of the last quarter at most: older gaps are for the dashboard, not the group chat.
    .where('due_date', '>=', plus(today, -100))
    .execute();
  const out = { due: 0, overdue: 0 };
  if (periods.length === 0) return out;
  const t = translator('zh-CN');
  const units = new Map(
    (await ctx.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.id, u.name]),
  );
  for (const p of periods) {
    const overdue = plus(p.due_date, p.grace_days) < today;
    const dueSoon = !overdue && p.due_date >= today;
    if (!overdue && !dueSoon) continue;
    const indicators = await ctx.db
      .selectFrom('indicators')
      .select(['id', 'unit_id'])
      .where('year', '=', p.year)
      .where('frequency', '=', frequencyOf[p.kind] ?? p.kind)
      .execute();
    const actuals = await ctx.db
      .selectFrom('actuals')
      .select(['indicator_id', 'status'])
      .where('period_key', '=', p.key)
      .execute();
    const reported = new Set(actuals.filter((a) => isReported(a.status)).map((a) => a.indicator_id));
    const missing = new Map<string, number>();
    for (const i of indicators)
      if (!reported.has(i.id)) missing.set(i.unit_id, (missing.get(i.unit_id) ?? 0) + 1);
    for (const [unitId, count] of missing) {
      const kind = overdue ? 'actuals_overdue' : 'actuals_due';
      const words = plainVars({ unit: units.get(unitId) ?? '', period: p.key, count, due: p.due_date });
      const queued = await enqueueNotice(ctx, {
        causeKey: `actuals:${unitId}:${p.key}:${kind}`,
        kind,
        unitId,
        audiences: ['unit'],
        title: t(`indicators:notice.${kind}.title`, words),
        markdown: t(`indicators:notice.${kind}.body`, words),
        linkPath: '/indicators/actuals',
        mentionUserIds: [],
      });
      if (queued) out[overdue ? 'overdue' : 'due']++;
    }
  }
  return out;
}

/** One tick of the hourly reminders, once per cluster. */
export async function tickActualsReminders(ctx: Ctx): Promise<void> {
  const hour = new Date(Math.floor(ctx.now.getTime() / 3_600_000) * 3_600_000).toISOString();
  await runOncePerCluster(ctx.db, 'indicators.reminders', hour, ctx.now.toISOString(), async (trx) => {
    await applyActualsReminders({ ...ctx, db: trx });
  });
}
