// Indicators: what each unit is measured on. The organizer defines them; a reporter sees the indicators
// of their unit and those it co-owns (read-only), never another unit's.
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { z } from 'zod';
import { requireOrganizer, requireUser, type UserActor } from '../../kernel/actor.ts';
import { AppError, alreadyTaken, inUse } from '../../kernel/errors.ts';
import { applyPatch } from '../../kernel/patch.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { DB, IndicatorsTable } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { readsUnitData } from './domain/access.ts';
import type { IndicatorDef, Plan } from './domain/indicators.ts';
import { isReported } from './domain/lights.ts';
import { parsePeriodKey } from './domain/periods.ts';
import { loadFramework, subtreeIds } from './framework.ts';
import { kindOfFrequency } from './periods.ts';
import type { IndicatorView, indicatorBody } from './schemas.ts';

export type IndicatorRow = IndicatorsTable;
export type IndicatorInput = z.infer<typeof indicatorBody>;

/** A validation error whose detail is a sentence in the caller's language. */
const invalid = (ctx: Pick<Ctx, 'locale'>, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`indicators:invalid.${key}`, params) });

// ---------- change notes for cached views (the dashboard overview keeps one; see dashboard.ts) ----------

let dataGeneration = 0;
type ActualChange = { indicator_id: string; period_key: string; value: number; status: string };
const actualListeners = new Set<(rows: readonly ActualChange[]) => void>();

/**
 * Indicator rows changed (created, edited, deleted, imported): views cached from them are outdated.
 * Every writer of the indicators table calls it after committing.
 */
export function indicatorDataChanged(): void {
  dataGeneration++;
}
export const indicatorDataGeneration = (): number => dataGeneration;

/** Actuals changed value or status (committed): cached views take the new values. */
export function noteActualsChanged(rows: readonly ActualChange[]): void {
  if (rows.length === 0) return;
  for (const l of actualListeners) l(rows);
}
export function onActualsChanged(listener: (rows: readonly ActualChange[]) => void): void {
  actualListeners.add(listener);
}

/** An indicator as the domain rules take it. */
export const indicatorDefOf = (
  r: Pick<
    IndicatorRow,
    'id' | 'direction' | 'kind' | 'baseline' | 'target' | 'plan' | 'weight' | 'light_source'
  >,
): IndicatorDef => ({
  id: r.id,
  direction: r.direction as IndicatorDef['direction'],
  kind: r.kind as IndicatorDef['kind'],
  baseline: r.baseline,
  target: r.target,
  plan: JSON.parse(r.plan) as Plan,
  weight: r.weight,
  lightSource: r.light_source as 'completion' | 'rank',
});

export function presentIndicator(r: IndicatorRow, unitName: string, coUnitIds: string[]): IndicatorView {
  return {
    id: r.id,
    nodeId: r.node_id,
    code: r.code,
    name: r.name,
    measure: r.measure,
    direction: r.direction as IndicatorView['direction'],
    kind: r.kind as IndicatorView['kind'],
    year: r.year,
    baseline: r.baseline,
    target: r.target,
    tierFloor: r.tier_floor,
    tierStretch: r.tier_stretch,
    unitId: r.unit_id,
    unitName,
    coUnitIds,
    frequency: r.frequency as IndicatorView['frequency'],
    plan: JSON.parse(r.plan) as IndicatorView['plan'],
    weight: r.weight,
    lightSource: r.light_source as IndicatorView['lightSource'],
    sort: r.sort,
  };
}

/**
 * Who sees an indicator's work in progress (a draft, or a value returned for correction): the organizer
 * and the reporters of the responsible unit. Co-units, leaders and observers see reported values only.
 */
export const seesWorkInProgress = (user: UserActor, unitId: string): boolean =>
  user.role === 'organizer' || (user.role === 'reporter' && user.unitId === unitId);

/** The actuals of an indicator as this reader may see them: work in progress only for those who may. */
export function visibleActuals<A extends { status: string }>(
  user: UserActor,
  unitId: string,
  rows: A[],
): A[] {
  return seesWorkInProgress(user, unitId) ? rows : rows.filter((r) => isReported(r.status));
}

export interface LoadedIndicator {
  row: IndicatorRow;
  coUnitIds: string[];
  unitName: string;
}

async function loadIndicator(ctx: Pick<Ctx, 'db'>, id: string): Promise<LoadedIndicator> {
  const row = await ctx.db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'indicator' });
  const [co, unit] = await Promise.all([
    ctx.db.selectFrom('indicator_co_units').select('unit_id').where('indicator_id', '=', id).execute(),
    ctx.db.selectFrom('units').select('name').where('id', '=', row.unit_id).executeTakeFirst(),
  ]);
  return { row, coUnitIds: co.map((c) => c.unit_id).sort(), unitName: unit?.name ?? '' };
}

/** Loads an indicator the actor may read: any signed-in user but judges/screens; reporters as above. */
export async function indicatorForRead(ctx: Ctx, id: string): Promise<LoadedIndicator & { user: UserActor }> {
  const user = requireUser(ctx.actor);
  const loaded = await loadIndicator(ctx, id);
  if (!readsUnitData(user, loaded.row.unit_id, loaded.coUnitIds)) throw new AppError('forbidden');
  return { ...loaded, user };
}

/** Loads an indicator the actor may write data for: the organizer, or the reporter of its own unit. */
export async function indicatorForWrite(
  ctx: Ctx,
  id: string,
): Promise<LoadedIndicator & { user: UserActor }> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  const loaded = await loadIndicator(ctx, id);
  // Co-units only read: the responsible unit answers for the number.
  if (user.role === 'reporter' && user.unitId !== loaded.row.unit_id) throw new AppError('forbidden');
  return { ...loaded, user };
}

/**
 * The filter "the unit answers for this indicator": it owns it or co-owns it. On a query over
 * `indicators as i`.
 */
export const answeredForBy =
  (unitId: string) =>
  (eb: ExpressionBuilder<DB & { i: IndicatorsTable }, 'i'>): Expression<SqlBool> =>
    eb.or([
      eb('i.unit_id', '=', unitId),
      eb(
        'i.id',
        'in',
        eb.selectFrom('indicator_co_units').select('indicator_id').where('unit_id', '=', unitId),
      ),
    ]);

export async function listIndicators(
  ctx: Ctx,
  filter: { year?: number | undefined; unitId?: string | undefined; nodeId?: string | undefined },
): Promise<IndicatorView[]> {
  const user = requireUser(ctx.actor);
  if (user.role === 'reporter' && filter.unitId && filter.unitId !== user.unitId) {
    // A co-owned indicator still lists under its own unit; the reporter reads it through their own unit.
    throw new AppError('forbidden');
  }
  let nodeIds: string[] | null = null;
  if (filter.nodeId) nodeIds = [...subtreeIds(await loadFramework(ctx), filter.nodeId)];
  let q = ctx.db
    .selectFrom('indicators as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .selectAll('i')
    .select('u.name as unit_name');
  if (filter.year !== undefined) q = q.where('i.year', '=', filter.year);
  if (nodeIds) q = q.where('i.node_id', 'in', nodeIds);
  if (user.role === 'reporter') q = q.where(answeredForBy(user.unitId ?? ''));
  if (filter.unitId) q = q.where(answeredForBy(filter.unitId));
  const rows = await q.orderBy('i.year').orderBy('i.sort').orderBy('i.code').execute();
  const coUnits = new Map<string, string[]>();
  if (rows.length > 0) {
    const ids = new Set(rows.map((r) => r.id));
    // All co-unit links (a small table) rather than an IN list that could outgrow a statement.
    for (const c of await ctx.db.selectFrom('indicator_co_units').selectAll().execute()) {
      if (!ids.has(c.indicator_id)) continue;
      const list = coUnits.get(c.indicator_id) ?? [];
      list.push(c.unit_id);
      coUnits.set(c.indicator_id, list);
    }
  }
  return rows.map((r) => presentIndicator(r, r.unit_name, (coUnits.get(r.id) ?? []).sort()));
}

export async function getIndicator(ctx: Ctx, id: string): Promise<IndicatorView> {
  const { row, unitName, coUnitIds } = await indicatorForRead(ctx, id);
  return presentIndicator(row, unitName, coUnitIds);
}

type Checked = Omit<IndicatorInput, 'coUnitIds'> & { coUnitIds: string[] };

/** Checks references and the plan; returns the co-units cleaned (no duplicates, not the unit itself). */
async function check(ctx: Ctx, input: IndicatorInput, exceptId?: string): Promise<Checked> {
  const node = await ctx.db
    .selectFrom('framework_nodes')
    .select('kind')
    .where('id', '=', input.nodeId)
    .executeTakeFirst();
  if (!node) throw new AppError('not_found', { what: 'framework_node' });
  if (node.kind !== 'task') throw invalid(ctx, 'nodeNotTask');
  const coUnitIds = [...new Set(input.coUnitIds)].filter((u) => u !== input.unitId).sort();
  const unitIds = [input.unitId, ...coUnitIds];
  const units = await ctx.db.selectFrom('units').select('id').where('id', 'in', unitIds).execute();
  if (units.length !== unitIds.length) throw new AppError('not_found', { what: 'unit' });
  let dup = ctx.db.selectFrom('indicators').select('id').where('code', '=', input.code);
  if (exceptId) dup = dup.where('id', '!=', exceptId);
  if (await dup.executeTakeFirst()) throw alreadyTaken('code', input.code);
  if (input.plan.kind === 'phased') {
    const kind = kindOfFrequency(input.frequency);
    for (const key of Object.keys(input.plan.expected)) {
      const p = parsePeriodKey(key);
      if (!p || p.year !== input.year || p.kind !== kind) {
        throw invalid(ctx, 'planKey', {
          key,
          year: input.year,
          frequency: translator(ctx.locale)(`indicators:frequency.${input.frequency}`),
        });
      }
    }
  }
  return { ...input, coUnitIds };
}

function rowOf(ctx: Ctx, id: string, c: Checked, createdAt: string): IndicatorRow {
  return {
    id,
    node_id: c.nodeId,
    code: c.code,
    name: c.name,
    measure: c.measure,
    direction: c.direction,
    kind: c.kind,
    year: c.year,
    baseline: c.baseline,
    target: c.target,
    tier_floor: c.tierFloor,
    tier_stretch: c.tierStretch,
    unit_id: c.unitId,
    frequency: c.frequency,
    plan: JSON.stringify(c.plan),
    weight: c.weight,
    light_source: c.lightSource,
    sort: c.sort,
    created_at: createdAt,
    updated_at: nowIso(ctx),
  };
}

async function unitName(ctx: Ctx, unitId: string): Promise<string> {
  return (
    (await ctx.db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst())?.name ?? ''
  );
}

export async function createIndicator(ctx: Ctx, input: IndicatorInput): Promise<IndicatorView> {
  requireOrganizer(ctx.actor);
  const c = await check(ctx, input);
  const row = rowOf(ctx, newId(), c, nowIso(ctx));
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('indicators').values(row).execute();
    if (c.coUnitIds.length > 0)
      await trx
        .insertInto('indicator_co_units')
        .values(c.coUnitIds.map((u) => ({ indicator_id: row.id, unit_id: u })))
        .execute();
  });
  indicatorDataChanged();
  const view = presentIndicator(row, await unitName(ctx, row.unit_id), c.coUnitIds);
  await audit(ctx, { action: 'indicator.created', target: `${row.code} ${row.name}`, after: view });
  return view;
}

const hasActuals = async (ctx: Ctx, id: string): Promise<boolean> =>
  !!(await ctx.db.selectFrom('actuals').select('id').where('indicator_id', '=', id).executeTakeFirst());

export async function updateIndicator(
  ctx: Ctx,
  id: string,
  patch: Partial<Omit<IndicatorInput, 'year'>>,
): Promise<IndicatorView> {
  requireOrganizer(ctx.actor);
  const { row: before, coUnitIds: beforeCo, unitName: beforeUnit } = await loadIndicator(ctx, id);
  const prev = presentIndicator(before, beforeUnit, beforeCo);
  const { id: _id, unitName: _unitName, ...current } = prev;
  const merged: IndicatorInput = applyPatch(current, patch);

  // Actuals are keyed by period: switching months ↔ quarters would strand every one of them.
  if (merged.frequency !== prev.frequency && (await hasActuals(ctx, id)))
    throw new AppError('conflict', { detail: `${prev.code}: frequency` });
  const c = await check(ctx, merged, id);
  const row = rowOf(ctx, id, c, before.created_at);
  await ctx.db.transaction().execute(async (trx) => {
    const { id: _id, created_at: _c, ...set } = row;
    await trx.updateTable('indicators').set(set).where('id', '=', id).execute();
    if (c.coUnitIds.join() !== beforeCo.join()) {
      await trx.deleteFrom('indicator_co_units').where('indicator_id', '=', id).execute();
      if (c.coUnitIds.length > 0)
        await trx
          .insertInto('indicator_co_units')
          .values(c.coUnitIds.map((u) => ({ indicator_id: id, unit_id: u })))
          .execute();
    }
  });
  indicatorDataChanged();
  const view = presentIndicator(row, await unitName(ctx, row.unit_id), c.coUnitIds);
  await audit(ctx, {
    action: 'indicator.updated',
    target: `${row.code} ${row.name}`,
    before: prev,
    after: view,
  });
  return view;
}

/** Refused once actuals exist: reported data is never deleted along with its definition. */
export async function deleteIndicator(ctx: Ctx, id: string): Promise<void> {
  requireOrganizer(ctx.actor);
  const { row, unitName: un, coUnitIds } = await loadIndicator(ctx, id);
  if (await hasActuals(ctx, id)) throw inUse(`${row.code} ${row.name}`, 'actuals');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('indicator_co_units').where('indicator_id', '=', id).execute();
    await trx.deleteFrom('rankings').where('indicator_id', '=', id).execute();
    await trx.deleteFrom('indicators').where('id', '=', id).execute();
  });
  indicatorDataChanged();
  await audit(ctx, {
    action: 'indicator.deleted',
    target: `${row.code} ${row.name}`,
    before: presentIndicator(row, un, coUnitIds),
  });
}
