// The organizer's review queue: every value of a period waiting for review, across units.
import { requireOrganizer } from '../../../kernel/actor.ts';
import type { Ctx } from '../../../platform/context.ts';
import { actualViewsOf } from '../actuals.ts';
import { chunks } from '../chunks.ts';
import { loadFramework } from '../framework.ts';
import { currentRules } from '../light-rules.ts';
import { rankingsOfSubjects } from '../rankings.ts';
import type { ReviewQueueView } from '../schemas.ts';
import { fullIndicators, statusViews, viewPeriods } from './status.ts';

/**
 * Every value of the period waiting for the organizer (submitted), across units, each with its light:
 * one request for the review tab instead of one per unit.
 */
export async function reviewQueue(ctx: Ctx, input: { period: string }): Promise<ReviewQueueView> {
  requireOrganizer(ctx.actor);
  const periods = await viewPeriods(ctx, input.period);
  const rows = await ctx.db
    .selectFrom('actuals')
    .selectAll()
    .where('period_key', '=', periods.key)
    .where('status', '=', 'submitted')
    .execute();
  if (rows.length === 0) return { periodKey: periods.key, items: [] };
  const ids = [...new Set(rows.map((r) => r.indicator_id))];
  const inds: Awaited<ReturnType<typeof fullIndicators>> = [];
  for (const chunk of chunks(ids)) {
    inds.push(...(await fullIndicators(ctx, (q) => q.where('i.id', 'in', chunk))));
  }
  const [rules, tree, rankings, actuals] = await Promise.all([
    currentRules(ctx),
    loadFramework(ctx),
    rankingsOfSubjects(ctx, { indicatorIds: ids }),
    actualViewsOf(ctx, rows),
  ]);
  const { views } = await statusViews(ctx, inds, periods, rules, tree.programOf, rankings);
  const actualOf = new Map(actuals.map((a) => [a.indicatorId, a]));
  const unitSort = new Map(
    (await ctx.db.selectFrom('units').select(['id', 'sort']).execute()).map((u) => [u.id, u.sort]),
  );
  return {
    periodKey: periods.key,
    items: views
      .flatMap((status) => {
        const actual = actualOf.get(status.indicatorId);
        return actual ? [{ status, actual }] : [];
      })
      .sort(
        (a, b) =>
          (unitSort.get(a.status.unitId) ?? 0) - (unitSort.get(b.status.unitId) ?? 0) ||
          a.status.unitName.localeCompare(b.status.unitName) ||
          a.status.code.localeCompare(b.status.code),
      ),
  };
}
