// An indicator's page: its light in every period of its year against its plan, its rankings and the
// revisions of its values.

import type { z } from 'zod';
import type { Ctx } from '../../../platform/context.ts';
import { presentRevision } from '../actuals.ts';
import { expectedValue } from '../domain/completion.ts';
import { explainLight } from '../domain/lights.ts';
import { periodLabel } from '../domain/periods.ts';
import { indicatorDefOf, indicatorForRead, presentIndicator, visibleActuals } from '../indicators.ts';
import { currentRules } from '../light-rules.ts';
import { kindOfFrequency, periodDefOf } from '../periods.ts';
import { presentRankings, rankingsOfSubjects } from '../rankings.ts';
import type { indicatorHistoryView } from '../schemas.ts';
import { exactLight, rankAt, readerOf, shownCompletion } from './status.ts';

export type IndicatorHistoryView = z.infer<typeof indicatorHistoryView>;

export async function indicatorPage(ctx: Ctx, indicatorId: string): Promise<IndicatorHistoryView> {
  const user = readerOf(ctx);
  const { row, unitName, coUnitIds } = await indicatorForRead(ctx, indicatorId);
  const kind = kindOfFrequency(row.frequency);
  const [periodRows, actuals, rules, rankings, revisions] = await Promise.all([
    ctx.db
      .selectFrom('periods')
      .selectAll()
      .where('year', '=', row.year)
      .where('kind', '=', kind)
      .orderBy('idx')
      .execute(),
    ctx.db.selectFrom('actuals').selectAll().where('indicator_id', '=', indicatorId).execute(),
    currentRules(ctx),
    rankingsOfSubjects(ctx, { indicatorIds: [indicatorId] }),
    ctx.db
      .selectFrom('actual_revisions as r')
      .innerJoin('actuals as a', 'a.id', 'r.actual_id')
      .select([
        'a.period_key',
        'r.version',
        'r.value',
        'r.note',
        'r.status',
        'r.reason',
        'r.actor_name',
        'r.created_at',
      ])
      .where('a.indicator_id', '=', indicatorId)
      .orderBy('a.period_key')
      .orderBy('r.version')
      .execute(),
  ]);
  const now = ctx.now.toISOString();
  const def = indicatorDefOf(row);
  const actualOf = new Map(visibleActuals(user, row.unit_id, actuals).map((a) => [a.period_key, a]));
  const points = periodRows.map((p) => {
    const period = periodDefOf(p);
    const actual = actualOf.get(p.key) ?? null;
    const result = exactLight(def, period, actual, rankAt(rankings, p.key), rules, now);
    return {
      periodKey: p.key,
      label: periodLabel(p.key, ctx.locale),
      expected: result.expected,
      expectedValue: expectedValue(def, period),
      actual: actual?.value ?? null,
      completion: shownCompletion(result.completion),
      light: result.light,
      explanation: explainLight(result, ctx.locale),
    };
  });
  return {
    indicator: presentIndicator(row, unitName, coUnitIds),
    points,
    rankings: presentRankings(rankings),
    revisions: visibleActuals(user, row.unit_id, revisions).map((r) => ({
      periodKey: r.period_key,
      ...presentRevision(r),
    })),
  };
}
