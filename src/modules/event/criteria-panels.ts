// The rubric (criteria) and the judge panels of an event, each replaced as a whole list. Items sent
// with their id are updated in place so stored scores keep pointing at them; once scoring has begun a
// change needs a reason, and an item that has scores cannot be removed.
import type { z } from 'zod';
import { requireOrganizer } from '../../kernel/actor.ts';
import { canonicalJson } from '../../kernel/canonical-json.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { EventRow } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { maxOffStepGrid } from './domain/rubric.ts';
import {
  assertNotLocked,
  assertReasonOnceScoring,
  eventSettings,
  loadCriteria,
  loadPanels,
  lockEventRow,
  withTransaction,
} from './event-view.ts';
import type { CriterionView, PanelView, replaceCriteriaBody, replacePanelsBody } from './schemas.ts';
import { conflict, invalid } from './setup-errors.ts';

export type ReplaceCriteriaInput = z.output<typeof replaceCriteriaBody>;
export type ReplacePanelsInput = z.output<typeof replacePanelsBody>;

type Planned<T> = T & { id: string; sort: number };

interface Replacement<T> {
  keep: Planned<T>[];
  add: Planned<T>[];
  removed: string[];
}

/**
 * Splits a replacement list into items updated in place (sent with their id), new items and removed
 * ids. An id that is not the event's is refused.
 */
function planReplacement<T extends { id?: string | undefined }>(
  ctx: Ctx,
  existingIds: readonly string[],
  items: readonly T[],
): Replacement<T> {
  const known = new Set(existingIds);
  const sent = new Set<string>();
  const plan: Replacement<T> = { keep: [], add: [], removed: [] };
  for (const [i, item] of items.entries()) {
    if (item.id !== undefined) {
      if (!known.has(item.id)) throw invalid(ctx, 'itemNotInEvent', { id: item.id });
      if (sent.has(item.id)) throw invalid(ctx, 'itemTwice', { id: item.id });
      sent.add(item.id);
      plan.keep.push({ ...item, id: item.id, sort: i + 1 });
    } else {
      plan.add.push({ ...item, id: newId(), sort: i + 1 });
    }
  }
  plan.removed = existingIds.filter((id) => !sent.has(id));
  return plan;
}

/** What differs between criteria and panels; the order of the checks is replaceList's. */
interface ListKind<T, V> {
  load(ctx: Ctx, eventId: string): Promise<V[]>;
  /** Ids of the items that stored scores depend on. */
  scoredIds(ctx: Ctx, eventId: string): Promise<Set<string>>;
  /** The print message refusing to remove an item with scores, and the name it shows. */
  hasScores: { key: string; name(item: V): string };
  /** Further refusals of the plan, checked before anything is compared or written. */
  check?(ctx: Ctx, plan: Replacement<T>): Promise<void>;
  present(item: Planned<T>): V;
  table: 'criteria' | 'panels';
  update(ctx: Ctx, item: Planned<T>): Promise<unknown>;
  insert(ctx: Ctx, eventId: string, item: Planned<T>): Promise<unknown>;
  /**
   * Writes what else the replacement changes, before the list itself; returns what the audit log
   * records as `after` (the new list when absent).
   */
  writeAlso?(ctx: Ctx, row: EventRow, plan: Replacement<T>, after: V[]): Promise<unknown>;
  action: string;
}

async function replaceList<T extends { id?: string | undefined }, V extends { id: string; sort: number }>(
  ctx: Ctx,
  eventId: string,
  input: { items: readonly T[]; reason: string | undefined },
  kind: ListKind<T, V>,
): Promise<V[]> {
  requireOrganizer(ctx.actor);
  return withTransaction(ctx, async (tctx) => {
    const row = await lockEventRow(tctx, eventId);
    assertNotLocked(row);
    const before = await kind.load(tctx, eventId);
    const plan = planReplacement(
      tctx,
      before.map((v) => v.id),
      input.items,
    );
    const scored = await kind.scoredIds(tctx, eventId);
    const lost = before.find((v) => plan.removed.includes(v.id) && scored.has(v.id));
    if (lost) throw conflict(tctx, kind.hasScores.key, { name: kind.hasScores.name(lost) });
    await kind.check?.(tctx, plan);
    const after = [...plan.keep, ...plan.add].map(kind.present).sort((a, b) => a.sort - b.sort);
    if (canonicalJson(after) === canonicalJson(before)) return before;
    assertReasonOnceScoring(row, input.reason);

    const audited = kind.writeAlso ? await kind.writeAlso(tctx, row, plan, after) : after;
    if (plan.removed.length > 0)
      await tctx.db.deleteFrom(kind.table).where('id', 'in', plan.removed).execute();
    for (const item of plan.keep) await kind.update(tctx, item);
    for (const item of plan.add) await kind.insert(tctx, eventId, item);
    await audit(tctx, {
      eventId,
      action: kind.action,
      target: row.title,
      before,
      after: audited,
      reason: input.reason || null,
    });
    return kind.load(tctx, eventId);
  });
}

/** Criterion ids that appear in at least one stored score of the event. */
async function scoredCriterionIds(ctx: Ctx, eventId: string): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom('score_entries')
    .select('score_values')
    .where('event_id', '=', eventId)
    .execute();
  const ids = new Set<string>();
  for (const r of rows) {
    try {
      for (const k of Object.keys(JSON.parse(r.score_values) as Record<string, unknown>)) ids.add(k);
    } catch {
      // A malformed entry names no criterion; the ledger check reports it elsewhere.
    }
  }
  return ids;
}

async function scoredPanelIds(ctx: Ctx, eventId: string): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom('score_entries')
    .innerJoin('judges', 'judges.id', 'score_entries.judge_id')
    .select('judges.panel_id')
    .distinct()
    .where('score_entries.event_id', '=', eventId)
    .execute();
  return new Set(rows.map((r) => r.panel_id));
}

type CriterionItem = ReplaceCriteriaInput['criteria'][number];

const criteriaKind: ListKind<CriterionItem, CriterionView> = {
  load: loadCriteria,
  scoredIds: scoredCriterionIds,
  hasScores: { key: 'criterionHasScores', name: (c) => c.nameZh },
  // A maximum off the step grid could never be given: validateSubmission would refuse the top mark.
  check: async (ctx, plan) => {
    const off = maxOffStepGrid([...plan.keep, ...plan.add]);
    if (off) {
      const detail = translator(ctx.locale)('event-setup:maxOffStep', {
        name: ctx.locale === 'en-US' && off.nameEn ? off.nameEn : off.nameZh,
        max: off.maxPoints,
        step: off.step,
      });
      throw new AppError('validation_failed', { detail });
    }
  },
  present: (c) => ({
    id: c.id,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    maxPoints: c.maxPoints,
    step: c.step,
    sort: c.sort,
  }),
  table: 'criteria',
  update: (ctx, c) =>
    ctx.db
      .updateTable('criteria')
      .set({ sort: c.sort, name_zh: c.nameZh, name_en: c.nameEn, max_points: c.maxPoints, step: c.step })
      .where('id', '=', c.id)
      .execute(),
  insert: (ctx, eventId, c) =>
    ctx.db
      .insertInto('criteria')
      .values({
        id: c.id,
        event_id: eventId,
        sort: c.sort,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        max_points: c.maxPoints,
        step: c.step,
      })
      .execute(),
  action: 'criteria.replaced',
};

export function replaceCriteria(
  ctx: Ctx,
  eventId: string,
  input: ReplaceCriteriaInput,
): Promise<CriterionView[]> {
  return replaceList(ctx, eventId, { items: input.criteria, reason: input.reason }, criteriaKind);
}

type PanelItem = ReplacePanelsInput['panels'][number];

const panelsKind: ListKind<PanelItem, PanelView> = {
  load: loadPanels,
  scoredIds: scoredPanelIds,
  hasScores: { key: 'panelHasScores', name: (p) => p.name },
  check: async (ctx, plan) => {
    if (plan.removed.length === 0) return;
    const staffed = await ctx.db
      .selectFrom('judges')
      .innerJoin('panels', 'panels.id', 'judges.panel_id')
      .select('panels.name')
      .where('judges.panel_id', 'in', plan.removed)
      .executeTakeFirst();
    if (staffed) throw conflict(ctx, 'panelHasJudges', { name: staffed.name });
  },
  present: (p) => ({ id: p.id, name: p.name, weight: p.weight, sort: p.sort }),
  table: 'panels',
  update: (ctx, p) =>
    ctx.db
      .updateTable('panels')
      .set({ sort: p.sort, name: p.name, weight: p.weight })
      .where('id', '=', p.id)
      .execute(),
  insert: (ctx, eventId, p) =>
    ctx.db
      .insertInto('panels')
      .values({ id: p.id, event_id: eventId, sort: p.sort, name: p.name, weight: p.weight })
      .execute(),
  // A removed tie-break panel stops being one; the audit log says so beside the new list.
  writeAlso: async (ctx, row, plan, after) => {
    const settings = eventSettings(row);
    const dropsTieBreak =
      settings.tieBreakPanelId !== null && plan.removed.includes(settings.tieBreakPanelId);
    if (dropsTieBreak) {
      await ctx.db
        .updateTable('events')
        .set({ settings: JSON.stringify({ ...settings, tieBreakPanelId: null }), updated_at: nowIso(ctx) })
        .where('id', '=', row.id)
        .execute();
    }
    return { panels: after, ...(dropsTieBreak ? { tieBreakPanelId: null } : {}) };
  },
  action: 'panels.replaced',
};

/** A removed panel must have no judges, and stops being the tie-break panel. */
export function replacePanels(ctx: Ctx, eventId: string, input: ReplacePanelsInput): Promise<PanelView[]> {
  return replaceList(ctx, eventId, { items: input.panels, reason: input.reason }, panelsKind);
}
