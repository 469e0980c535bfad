// Runs an event's pending agenda as if the hall were full: for each slot in agenda order the organizer
// opens scoring, every eligible judge submits a plausible score, and the organizer closes it — all
// through the same use cases the HTTP routes call, so the ledger, audit log and results are real.
//
// Scores are a unit's quality level plus the judge's leniency plus noise, snapped to each criterion's
// step. Every random draw is keyed by (seed, unit code, judge position), never by the order of work,
// so the same seed gives the same scores even when the run is split or resumed.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { JudgeActor, UserActor } from '../kernel/actor.ts';
import { closeSlot, loadEventData, openSlot, patchSlot, submitScore } from '../modules/event/index.ts';
import type { Ctx } from '../platform/context.ts';
import type { DbKind } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';
import { seededRandom } from './random.ts';

export interface SimulateOptions {
  eventId: string;
  seed: string;
  /** Share of speakers who overrun their time (default 0.15). */
  overtimeRate?: number;
  clock?: () => Date;
  /** Called after each slot closes (progress output). */
  onSlot?: (report: SlotReport) => void;
}

export interface SlotReport {
  index: number;
  total: number;
  unitName: string;
  submitted: number;
  eligible: number;
  overtimeSec: number;
}

export interface SimulateSummary {
  eventId: string;
  seed: string;
  /** Slots opened (or resumed), scored and closed by this run. */
  slots: number;
  submissions: number;
  /** Judge-slot pairs skipped because the judge belongs to the unit. */
  recusals: number;
  overtimes: number;
  ms: number;
}

/** The decimal places of a step such as 0.5 or 0.25, so a snapped value prints as a clean decimal. */
function stepDecimals(step: number): number {
  const text = String(step);
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return text.split('.')[1]?.length ?? 0;
}

/** Nearest multiple of step within [0, max], as the decimal people would type. */
export function snapToStep(value: number, max: number, step: number): number {
  const snapped = Math.round(value / step) * step;
  const clamped = Math.min(Math.floor(max / step) * step, Math.max(0, snapped));
  return Number(clamped.toFixed(stepDecimals(step)));
}

/** Deterministic, so a rerun with the same seed is recognised as a retry rather than a second score. */
function clientIdOf(seed: string, unitCode: string, judgeNumber: number): string {
  return `sim-${createHash('sha256').update(`${seed}|${unitCode}|${judgeNumber}`).digest('hex').slice(0, 32)}`;
}

/** The organizer account the run acts as: the first enabled one, as a person at the host console. */
async function organizerActor(db: Kysely<DB>): Promise<UserActor> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', 'organizer')
    .where('disabled', '=', 0)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error('simulate: no enabled organizer account to run the event as');
  return {
    kind: 'user',
    userId: row.id,
    name: row.display_name,
    role: 'organizer',
    unitId: null,
    mustChangePassword: false,
  };
}

export async function simulateEvent(
  database: { db: Kysely<DB>; kind: DbKind },
  options: SimulateOptions,
): Promise<SimulateSummary> {
  const started = performance.now();
  const clock = options.clock ?? (() => new Date());
  const overtimeRate = options.overtimeRate ?? 0.15;
  const { db } = database;
  const base = { db, dbKind: database.kind, publicUrl: '', locale: 'zh-CN' as const };
  const organizer = await organizerActor(db);
  const asOrganizer = (): Ctx => ({ ...base, actor: organizer, now: clock() });

  const data = await loadEventData(db, options.eventId);
  const todo = data.slots.filter((s) => s.state !== 'closed');
  const codeOf = (unitId: string): string => data.units.get(unitId)?.code ?? unitId;

  // A judge is known to the seed by their place in the judge list, the same in every database (ids and
  // export numbers are random).
  const place = new Map(data.judges.map((j, i) => [j.id, i + 1]));
  // A judge's leniency holds across the whole event.
  const leniency = new Map(
    data.judges.map((j) => [j.id, 0.025 * seededRandom(`${options.seed}|judge|${place.get(j.id)}`).normal()]),
  );

  const summary: SimulateSummary = {
    eventId: options.eventId,
    seed: options.seed,
    slots: 0,
    submissions: 0,
    recusals: 0,
    overtimes: 0,
    ms: 0,
  };

  for (const [index, slot] of todo.entries()) {
    const unitCode = codeOf(slot.unit_id);
    const unitRandom = seededRandom(`${options.seed}|unit|${unitCode}`);
    const quality = 0.7 + 0.25 * unitRandom.next();
    let overtimeSec = Number(slot.overtime_sec);
    if (slot.state === 'pending') {
      if (unitRandom.next() < overtimeRate) {
        overtimeSec = 5 + unitRandom.int(86);
        // Entered at the host console when the speaker stops, before scoring opens.
        await patchSlot(asOrganizer(), options.eventId, slot.id, { overtimeSec });
        summary.overtimes++;
      }
      await openSlot(asOrganizer(), options.eventId, slot.id);
    }

    // A slot left open by an earlier run gets only the judges still missing.
    const already = new Set(
      (
        await db
          .selectFrom('score_entries')
          .select('judge_id')
          .distinct()
          .where('slot_id', '=', slot.id)
          .execute()
      ).map((r) => r.judge_id),
    );
    let eligible = 0;
    let submitted = 0;
    for (const judge of data.judges) {
      if (judge.affiliatedUnitIds.includes(slot.unit_id)) {
        summary.recusals++;
        continue;
      }
      eligible++;
      if (already.has(judge.id)) continue;
      const noise = seededRandom(`${options.seed}|${unitCode}|${place.get(judge.id)}`);
      const level = quality + leniency.get(judge.id)!;
      const values: Record<string, number> = {};
      for (const c of data.criteria) {
        values[c.id] = snapToStep(c.maxPoints * (level + 0.04 * noise.normal()), c.maxPoints, c.step);
      }
      const actor: JudgeActor = {
        kind: 'judge',
        judgeId: judge.id,
        eventId: options.eventId,
        name: judge.name,
      };
      await submitScore(
        { ...base, actor, now: clock() },
        { clientId: clientIdOf(options.seed, unitCode, place.get(judge.id)!), slotId: slot.id, values },
      );
      submitted++;
    }
    await closeSlot(asOrganizer(), options.eventId, slot.id);
    summary.slots++;
    summary.submissions += submitted;
    options.onSlot?.({
      index: index + 1,
      total: todo.length,
      unitName: data.units.get(slot.unit_id)?.name ?? slot.unit_id,
      submitted,
      eligible,
      overtimeSec,
    });
  }
  summary.ms = performance.now() - started;
  return summary;
}
