// Reporting periods: created per year and frequency from the domain's calendar, then adjusted (due
// date, grace days) and locked by the organizer. A locked period takes no more reporter changes.
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { PeriodsTable } from '../../platform/db/schema.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { addDays, type Frequency, type PeriodDef, periodLabel, periodsOfYear } from './domain/periods.ts';
import type { PeriodView } from './schemas.ts';

export type PeriodRow = PeriodsTable;

/** A validation error whose detail is a sentence in the caller's language. */
const invalid = (ctx: Pick<Ctx, 'locale'>, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`indicators:invalid.${key}`, params) });

export const periodDefOf = (p: PeriodRow): PeriodDef => ({
  key: p.key,
  year: p.year,
  kind: p.kind as PeriodDef['kind'],
  index: p.idx,
  startDate: p.start_date,
  endDate: p.end_date,
  dueDate: p.due_date,
  graceDays: p.grace_days,
});

/** The row of a new, unlocked period (the inverse of periodDefOf). */
export const periodRow = (d: PeriodDef): PeriodRow => ({
  key: d.key,
  year: d.year,
  kind: d.kind,
  idx: d.index,
  start_date: d.startDate,
  end_date: d.endDate,
  due_date: d.dueDate,
  grace_days: d.graceDays,
  locked: 0,
});

export const presentPeriod = (p: PeriodRow, locale: Locale): PeriodView => ({
  key: p.key,
  year: p.year,
  kind: p.kind as PeriodView['kind'],
  index: p.idx,
  label: periodLabel(p.key, locale),
  startDate: p.start_date,
  endDate: p.end_date,
  dueDate: p.due_date,
  graceDays: p.grace_days,
  locked: p.locked === 1,
});

export const kindOfFrequency = (f: Frequency | string): PeriodDef['kind'] =>
  f === 'monthly' ? 'month' : 'quarter';

/** A period by key (no authorization: for services that already authorized); 404 when absent. */
export async function loadPeriod(ctx: Pick<Ctx, 'db'>, key: string): Promise<PeriodRow> {
  const p = await ctx.db.selectFrom('periods').selectAll().where('key', '=', key).executeTakeFirst();
  if (!p) throw new AppError('not_found', { what: 'period' });
  return p;
}

export async function listPeriods(ctx: Ctx, input: { year?: number | undefined }): Promise<PeriodView[]> {
  requireUser(ctx.actor);
  let q = ctx.db.selectFrom('periods').selectAll();
  if (input.year !== undefined) q = q.where('year', '=', input.year);
  const rows = await q.orderBy('year').orderBy('kind').orderBy('idx').execute();
  return rows.map((p) => presentPeriod(p, ctx.locale));
}

/** Creates the year's periods of a frequency. Idempotent: existing keys are kept as they are. */
export async function createPeriods(
  ctx: Ctx,
  input: { year: number; frequency: Frequency; dueDayOffset: number; graceDays: number },
): Promise<PeriodView[]> {
  requireOrganizer(ctx.actor);
  const defs = periodsOfYear(input.year, input.frequency, {
    dueDayOffset: input.dueDayOffset,
    graceDays: input.graceDays,
  });
  const kind = kindOfFrequency(input.frequency);
  return ctx.db.transaction().execute(async (trx) => {
    const existing = new Set(
      (
        await trx
          .selectFrom('periods')
          .select('key')
          .where('year', '=', input.year)
          .where('kind', '=', kind)
          .execute()
      ).map((p) => p.key),
    );
    const fresh = defs.filter((d) => !existing.has(d.key));
    if (fresh.length > 0) {
      await trx
        .insertInto('periods')
        .values(fresh.map(periodRow))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      await audit(
        { ...ctx, db: trx },
        {
          action: 'periods.created',
          target: `${input.year} ${input.frequency}`,
          after: fresh.map((d) => d.key),
        },
      );
    }
    const rows = await trx
      .selectFrom('periods')
      .selectAll()
      .where('year', '=', input.year)
      .where('kind', '=', kind)
      .orderBy('idx')
      .execute();
    return rows.map((p) => presentPeriod(p, ctx.locale));
  });
}

export async function updatePeriod(
  ctx: Ctx,
  key: string,
  patch: { dueDate?: string | undefined; graceDays?: number | undefined; locked?: boolean | undefined },
): Promise<PeriodView> {
  requireOrganizer(ctx.actor);
  const p = await loadPeriod(ctx, key);
  if (patch.dueDate !== undefined) {
    try {
      addDays(patch.dueDate, 0);
    } catch {
      throw invalid(ctx, 'dueDate', { date: patch.dueDate });
    }
  }
  const next: PeriodRow = {
    ...p,
    due_date: patch.dueDate ?? p.due_date,
    grace_days: patch.graceDays ?? p.grace_days,
    locked: patch.locked === undefined ? p.locked : patch.locked ? 1 : 0,
  };
  await ctx.db
    .updateTable('periods')
    .set({ due_date: next.due_date, grace_days: next.grace_days, locked: next.locked })
    .where('key', '=', key)
    .execute();
  await audit(ctx, {
    action: next.locked === p.locked ? 'period.updated' : next.locked ? 'period.locked' : 'period.unlocked',
    target: key,
    before: presentPeriod(p, ctx.locale),
    after: presentPeriod(next, ctx.locale),
  });
  return presentPeriod(next, ctx.locale);
}
