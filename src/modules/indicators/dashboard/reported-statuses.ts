// The statuses other modules build on (a showcase report's numbers): the lights of some indicators in
// one period from reported values only, with who verified each value and when.
import type { Ctx } from '../../../platform/context.ts';
import { loadFramework } from '../framework.ts';
import { currentRules } from '../light-rules.ts';
import { rankingsOfSubjects } from '../rankings.ts';
import type { IndicatorStatusView } from '../schemas.ts';
import { fullIndicators, statusViews, viewPeriods } from './status.ts';

export interface ReportedStatus {
  status: IndicatorStatusView;
  verifiedBy: string | null;
  verifiedAt: string | null;
}

export async function reportedStatuses(
  ctx: Ctx,
  indicatorIds: readonly string[],
  periodKey: string,
): Promise<Map<string, ReportedStatus>> {
  const out = new Map<string, ReportedStatus>();
  if (indicatorIds.length === 0) return out;
  const periods = await viewPeriods(ctx, periodKey);
  const [rules, tree, inds] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    fullIndicators(ctx, (q) => q.where('i.id', 'in', [...indicatorIds])),
  ]);
  const rankings = await rankingsOfSubjects(ctx, { indicatorIds: inds.map((i) => i.id) });
  const { views } = await statusViews(ctx, inds, periods, rules, tree.programOf, rankings, {
    reportedOnly: true,
  });
  const verified = await ctx.db
    .selectFrom('actuals as a')
    .innerJoin('actual_revisions as r', 'r.actual_id', 'a.id')
    .select(['a.indicator_id', 'a.period_key', 'r.actor_name', 'r.created_at'])
    .where('a.indicator_id', 'in', [...indicatorIds])
    .where('a.status', '=', 'verified')
    .where('r.status', '=', 'verified')
    .orderBy('r.created_at')
    .execute();
  const byKey = new Map(verified.map((v) => [`${v.indicator_id}|${v.period_key}`, v]));
  for (const v of views) {
    const who = v.actualStatus === 'verified' ? byKey.get(`${v.indicatorId}|${v.periodKey}`) : undefined;
    out.set(v.indicatorId, {
      status: v,
      verifiedBy: who?.actor_name ?? null,
      verifiedAt: who?.created_at ?? null,
    });
  }
  return out;
}
