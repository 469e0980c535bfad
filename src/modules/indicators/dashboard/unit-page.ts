// A unit's page: its indicators' status in a period, its assessment score and its rankings.
import type { z } from 'zod';
import { AppError } from '../../../kernel/errors.ts';
import type { Ctx } from '../../../platform/context.ts';
import { readsUnitData } from '../domain/access.ts';
import { assessmentScore, indicatorScore } from '../domain/assessment.ts';
import { loadFramework } from '../framework.ts';
import { currentRules } from '../light-rules.ts';
import { presentRankings, rankingsOfSubjects } from '../rankings.ts';
import type { unitIndicatorsView } from '../schemas.ts';
import { fullIndicators, readerOf, statusViews, viewPeriods } from './status.ts';

export type UnitIndicatorsView = z.infer<typeof unitIndicatorsView>;

export async function unitPage(
  ctx: Ctx,
  unitId: string,
  input: { period: string },
): Promise<UnitIndicatorsView> {
  const user = readerOf(ctx);
  if (!readsUnitData(user, unitId)) throw new AppError('forbidden');
  const unit = await ctx.db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) throw new AppError('not_found', { what: 'unit' });
  const periods = await viewPeriods(ctx, input.period);
  const [rules, tree, inds] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    fullIndicators(ctx, (q) => q.where('i.unit_id', '=', unitId).where('i.year', '=', periods.year)),
  ]);
  const rankings = await rankingsOfSubjects(ctx, { indicatorIds: inds.map((i) => i.id), unitIds: [unitId] });
  const { views, results } = await statusViews(ctx, inds, periods, rules, tree.programOf, rankings);
  const weightOf = new Map(inds.map((i) => [i.id, i.weight]));
  const assessment = assessmentScore(
    views.map((v) => {
      const r = results.get(v.indicatorId)!;
      return {
        indicatorId: v.indicatorId,
        weight: weightOf.get(v.indicatorId) ?? 0,
        // With star grades on, an indicator scores its stars (五星 = 100); without, its completion.
        score: rules.stars
          ? indicatorScore({ stars: r.stars as 1 | 2 | 3 | 4 | 5 | null })
          : indicatorScore({ completion: r.result.completion }),
      };
    }),
  );
  return {
    unitId: unit.id,
    unitName: unit.name,
    periodKey: periods.key,
    items: views,
    assessment,
    rankings: presentRankings(rankings),
  };
}
