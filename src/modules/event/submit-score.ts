// A judge submits a score for a slot: checked against the rubric, the window and recusal, then
// appended to the ledger through the group commit (commit-queue.ts), answered only once durable.
import type { Kysely } from 'kysely';
import { requireJudge } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { precompiled } from '../../platform/db/precompiled.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { appendCommitted, ClosedMeanwhile, SentMeanwhile } from './commit-queue.ts';
import { type SubmissionIssue, validateSubmission } from './domain/rubric.ts';
import { isUniqueViolation } from './ledger.ts';
import type { CriterionView, SubmitScoreResult } from './schemas.ts';

/** EXISTS comes back as 0/1 from SQLite and as a boolean from PostgreSQL. */
const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1';

const criterionName = (c: CriterionView, locale: Locale): string =>
  locale === 'zh-CN' ? c.nameZh : c.nameEn || c.nameZh;

// Punctuation between issues, per language (not words, so not in the locale files).
const issueSeparator: Record<Locale, string> = { 'zh-CN': '；', 'en-US': '; ' };

/** One readable line listing every issue, in the caller's language, naming the criteria. */
function describeIssues(
  criteria: readonly CriterionView[],
  issues: readonly SubmissionIssue[],
  locale: Locale,
): string {
  const t = translator(locale);
  const byId = new Map(criteria.map((c) => [c.id, c]));
  return issues
    .map((issue) => {
      const c = issue.criterionId === null ? undefined : byId.get(issue.criterionId);
      const criterion = c ? criterionName(c, locale) : (issue.criterionId ?? '');
      return t(`errors:issues.${issue.code}`, { criterion, max: issue.max, step: issue.step });
    })
    .join(issueSeparator[locale]);
}

/**
 * The first accepted entry for (judge, clientId), as the judge was told about it, if this send is a
 * resend of it: the same slot and the same values. Another slot or other values under a used clientId
 * is not a retry (a client bug, or a replay): refused, never answered as the first entry.
 */
async function findSubmitted(
  db: Kysely<DB>,
  judgeId: string,
  input: { clientId: string; slotId: string; values: Record<string, unknown> },
): Promise<SubmitScoreResult | null> {
  const row = await db
    .selectFrom('score_entries as e')
    .select((eb) => [
      'e.id',
      'e.slot_id',
      'e.score_values',
      'e.total',
      'e.created_at',
      eb
        .selectFrom('score_entries as p')
        .select((p) => p.fn.countAll().as('n'))
        .whereRef('p.slot_id', '=', 'e.slot_id')
        .whereRef('p.judge_id', '=', 'e.judge_id')
        .whereRef('p.seq', '<=', 'e.seq')
        .as('version'),
    ])
    .where('e.judge_id', '=', judgeId)
    .where('e.client_id', '=', input.clientId)
    .executeTakeFirst();
  if (!row) return null;
  if (row.slot_id !== input.slotId || !sameValues(JSON.parse(row.score_values), input.values))
    throw new AppError('submission_conflict');
  return {
    entryId: row.id,
    slotId: row.slot_id,
    total: Number(row.total),
    version: Number(row.version),
    duplicate: true,
    createdAt: row.created_at,
  };
}

/** The stored values and a resend's: the same criteria, the same points (5 and 5.0 alike). */
function sameValues(stored: Record<string, number>, sent: Record<string, unknown>): boolean {
  const keys = Object.keys(stored);
  if (keys.length !== Object.keys(sent).length) return false;
  return keys.every((k) => sent[k] === stored[k]);
}

/**
 * Everything a submission is checked against, in one query: the slot, its event's status, the unit's
 * name, whether this judge is recused from it, an earlier entry with this clientId, and the rubric
 * (one row per criterion, the slot's columns repeated).
 */
const submissionContext = precompiled(['judgeId', 'slotId', 'clientId'], (db, p) =>
  db
    .selectFrom('slots')
    .innerJoin('events', 'events.id', 'slots.event_id')
    .innerJoin('units', 'units.id', 'slots.unit_id')
    .leftJoin('criteria', 'criteria.event_id', 'slots.event_id')
    .select((eb) => [
      'slots.event_id',
      'slots.state',
      'events.status',
      'units.name as unit_name',
      eb
        .exists(
          eb
            .selectFrom('judge_affiliations')
            .select('judge_affiliations.judge_id')
            .where('judge_affiliations.judge_id', '=', p.judgeId)
            .whereRef('judge_affiliations.unit_id', '=', 'slots.unit_id'),
        )
        .as('recused'),
      eb
        .selectFrom('score_entries')
        .select('score_entries.id')
        .where('score_entries.judge_id', '=', p.judgeId)
        .where('score_entries.client_id', '=', p.clientId)
        .as('earlier_id'),
      'criteria.id as criterion_id',
      'criteria.name_zh',
      'criteria.name_en',
      'criteria.max_points',
      'criteria.step',
      'criteria.sort',
    ])
    .where('slots.id', '=', p.slotId),
);

async function loadSubmissionContext(db: Kysely<DB>, judgeId: string, slotId: string, clientId: string) {
  const rows = await submissionContext(db, { judgeId, slotId, clientId });
  const first = rows[0];
  if (!first) return null;
  const criteria: CriterionView[] = [];
  for (const r of rows) {
    if (r.criterion_id === null) continue;
    criteria.push({
      id: r.criterion_id,
      nameZh: r.name_zh ?? '',
      nameEn: r.name_en ?? '',
      maxPoints: Number(r.max_points),
      step: Number(r.step),
      sort: Number(r.sort),
    });
  }
  criteria.sort((a, b) => a.sort - b.sort || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    eventId: first.event_id,
    state: first.state,
    status: first.status,
    unitName: first.unit_name,
    recused: truthy(first.recused),
    earlierId: first.earlier_id,
    criteria,
  };
}

/**
 * Stores one judge's score for one slot as a new ledger entry and answers only after it committed.
 * Retries are safe: the same clientId from the same judge returns the first entry (duplicate: true).
 *
 * Statements on the hot path: the session (one precompiled join, in the request hook), the context
 * (one precompiled query, above), then a share of one group commit (commit-queue.ts): a lone
 * submission's transaction has three statements (lock and bump seq, insert, move the head while
 * re-reading the window under the lock), a batch of n has five or so for all n together.
 */
export async function submitScore(
  ctx: Ctx,
  input: { clientId: string; slotId: string; values: Record<string, unknown> },
): Promise<SubmitScoreResult> {
  const judge = requireJudge(ctx.actor);
  const slot = await loadSubmissionContext(ctx.db, judge.judgeId, input.slotId, input.clientId);
  if (!slot) throw new AppError('not_found', { what: 'slot' });

  // A retry of an accepted submission is answered as such, whatever happened since (even a close).
  if (slot.earlierId) {
    const earlier = await findSubmitted(ctx.db, judge.judgeId, input);
    if (earlier) return earlier;
  }
  if (slot.eventId !== judge.eventId) throw new AppError('slot_wrong_event');
  if (slot.recused) throw new AppError('judge_recused');

  const checked = validateSubmission(
    slot.criteria.map((c) => ({
      id: c.id,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      maxPoints: c.maxPoints,
      step: c.step,
    })),
    input.values,
  );
  if (!checked.ok) {
    throw new AppError(
      'score_invalid',
      { detail: describeIssues(slot.criteria, checked.issues, ctx.locale) },
      { issues: checked.issues },
    );
  }

  const rejectLate = async (): Promise<never> => {
    // Kept for the record (a dispute may ask what a judge tried to send), never counted.
    await audit(ctx, {
      eventId: judge.eventId,
      action: 'score.rejected_late',
      target: slot.unitName,
      after: {
        slotId: input.slotId,
        judgeId: judge.judgeId,
        clientId: input.clientId,
        values: checked.values,
      },
    });
    throw new AppError('slot_closed');
  };
  if (slot.state === 'pending' && slot.status !== 'locked') throw new AppError('slot_not_open');
  if (slot.state !== 'open' || slot.status === 'locked') return rejectLate();

  try {
    const entry = await appendCommitted(ctx, {
      eventId: judge.eventId,
      slotId: input.slotId,
      judgeId: judge.judgeId,
      clientId: input.clientId,
      values: checked.values,
      total: checked.total,
      createdAt: nowIso(ctx),
    });
    return {
      entryId: entry.id,
      slotId: entry.slotId,
      total: entry.total,
      version: entry.version,
      duplicate: false,
      createdAt: entry.createdAt,
    };
  } catch (e) {
    if (e instanceof ClosedMeanwhile) return rejectLate();
    // Two sends of the same submission raced past the first check: the loser answers with the winner.
    if (isUniqueViolation(e) || e instanceof SentMeanwhile) {
      const earlier = await findSubmitted(ctx.db, judge.judgeId, input);
      if (earlier) return earlier;
    }
    throw e;
  }
}
