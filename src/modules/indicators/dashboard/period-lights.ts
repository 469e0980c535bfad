// The light of every indicator its reader may open, in one period: the 指标管理 list's light column in
// one request, with the unit page's exact rule (statusViews) and its reading rule (readsUnitData).
import type { z } from 'zod';
import type { Ctx } from '../../../platform/context.ts';
import { loadFramework } from '../framework.ts';
import { answeredForBy } from '../indicators.ts';
import { currentRules } from '../light-rules.ts';
import { rankingsOfSubjects } from '../rankings.ts';
import type { periodLightsView } from '../schemas.ts';
import { fullIndicators, readerOf, statusViews, viewPeriods } from './status.ts';

export type PeriodLightsView = z.infer<typeof periodLightsView>;

export async function periodLights(ctx: Ctx, input: { period: string }): Promise<PeriodLightsView> {
  const user = readerOf(ctx);
  const periods = await viewPeriods(ctx, input.period);
  const [rules, tree, inds] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    fullIndicators(ctx, (q) => {
      const ofYear = q.where('i.year', '=', periods.year);
      // A reporter opens their own unit's pages only, with the indicators it co-owns (readsUnitData).
      return user.role === 'reporter' ? ofYear.where(answeredForBy(user.unitId ?? '')) : ofYear;
    }),
  ]);
  const rankings = await rankingsOfSubjects(ctx, { indicatorIds: inds.map((i) => i.id) });
  const { views } = await statusViews(ctx, inds, periods, rules, tree.programOf, rankings);
  return { periodKey: periods.key, items: views };
}
