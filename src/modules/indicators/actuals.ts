// Actuals: the value a unit reports for an indicator and period, on the review workflow of
// src/kernel/review-workflow.ts (draft → submitted → verified, or → returned with a reason → draft/submitted).
// For a cumulative indicator the reporter enters the cumulative-to-date value of the period (what the
// unit's ledgers show at the period's end), not the increment: the lights compare it with the plan as is.
// Every save and every review writes a revision (version + 1); none is ever deleted. The lock of a
// period stops reporters; the organizer can still correct, and every organizer action is audited.
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { requireOrganizer, requireUser, type UserActor } from '../../kernel/actor.ts';
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import { reviewWorkflow } from '../../kernel/review-workflow.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { ActualRevisionsTable, ActualsTable } from '../../platform/db/schema.ts';
import { MAX_UPLOAD_BYTES } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { parsePeriodKey } from './domain/periods.ts';
import { unusualActual } from './domain/plausibility.ts';
import { indicatorForRead, indicatorForWrite, noteActualsChanged, visibleActuals } from './indicators.ts';
import { kindOfFrequency } from './periods.ts';
import type { ActualStatus, ActualView } from './schemas.ts';

export type ActualRow = ActualsTable;

/** A validation error whose detail is a sentence in the caller's language. */
const invalid = (ctx: Pick<Ctx, 'locale'>, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`indicators:invalid.${key}`, params) });

type EvidenceMeta = ActualView['evidence'][number];

export const presentActual = (a: ActualRow, evidence: EvidenceMeta[] = []): ActualView => ({
  id: a.id,
  indicatorId: a.indicator_id,
  periodKey: a.period_key,
  value: a.value,
  note: a.note,
  status: a.status as ActualStatus,
  returnReason: a.return_reason,
  version: a.version,
  submittedAt: a.submitted_at,
  verifiedAt: a.verified_at,
  updatedAt: a.updated_at,
  evidence,
});

// Statements stay well below every driver's limit on bound parameters.
const CHUNK = 500;
function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function evidenceOf(ctx: Pick<Ctx, 'db'>, actualIds: string[]): Promise<Map<string, EvidenceMeta[]>> {
  const out = new Map<string, EvidenceMeta[]>();
  for (const ids of chunks(actualIds)) {
    if (ids.length === 0) continue;
    const rows = await ctx.db
      .selectFrom('evidence_files')
      .select(['id', 'actual_id', 'file_name', 'mime', 'size'])
      .where('actual_id', 'in', ids)
      .orderBy('created_at')
      .execute();
    for (const r of rows) {
      const list = out.get(r.actual_id) ?? [];
      list.push({ id: r.id, fileName: r.file_name, mime: r.mime, size: r.size });
      out.set(r.actual_id, list);
    }
  }
  return out;
}

export async function listActuals(ctx: Ctx, indicatorId: string): Promise<ActualView[]> {
  const { row, user } = await indicatorForRead(ctx, indicatorId);
  const rows = await ctx.db
    .selectFrom('actuals')
    .selectAll()
    .where('indicator_id', '=', indicatorId)
    .orderBy('period_key')
    .execute();
  return actualViewsOf(ctx, visibleActuals(user, row.unit_id, rows));
}

/** Actual rows as the API shows them, with their evidence files (two queries however many). */
export async function actualViewsOf(ctx: Pick<Ctx, 'db'>, rows: readonly ActualRow[]): Promise<ActualView[]> {
  const ev = await evidenceOf(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentActual(r, ev.get(r.id)));
}

// ---------- saving ----------

export interface ActualInput {
  indicatorId: string;
  periodKey: string;
  value: number;
  note: string;
  /** true: submit for review; false: keep as a draft. */
  submit: boolean;
}

export type SaveOutcome =
  | { outcome: 'applied' | 'unchanged'; actual: ActualRow }
  | { outcome: 'rejected'; error: AppError };

export interface SaveOptions {
  /**
   * Leave an actual alone (no revision) when value, note and resulting status are what is stored, and
   * do not reject such a row for being verified or locked: re-importing the same sheet changes nothing.
   */
  skipUnchanged?: boolean;
}

const reject = (code: ErrorCode, params: Record<string, unknown> = {}): SaveOutcome => ({
  outcome: 'rejected',
  error: new AppError(code, params),
});

/**
 * Saves many actuals in one transaction (the Excel import's path; a single PUT goes through it too).
 * Authorization is per row: a reporter's rows of another unit, of a locked period or of a verified
 * actual are rejected with their reason while the good rows are applied. Outcomes are in input order.
 */
export async function saveActuals(
  ctx: Ctx,
  items: readonly ActualInput[],
  opts: SaveOptions = {},
): Promise<SaveOutcome[]> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  if (items.length === 0) return [];
  const now = nowIso(ctx);
  const outcomes = await ctx.db.transaction().execute(async (trx) => {
    const indicatorIds = [...new Set(items.map((i) => i.indicatorId))];
    const keys = [...new Set(items.map((i) => i.periodKey))];
    const indicators = new Map<
      string,
      { id: string; unit_id: string; year: number; frequency: string; code: string }
    >();
    for (const ids of chunks(indicatorIds)) {
      for (const r of await trx
        .selectFrom('indicators')
        .select(['id', 'unit_id', 'year', 'frequency', 'code'])
        .where('id', 'in', ids)
        .execute())
        indicators.set(r.id, r);
    }
    const periods = new Map(
      (await trx.selectFrom('periods').selectAll().where('key', 'in', keys).execute()).map((p) => [p.key, p]),
    );
    const existing = new Map<string, ActualRow>();
    for (const ids of chunks([...indicators.keys()])) {
      for (const r of await trx
        .selectFrom('actuals')
        .selectAll()
        .where('indicator_id', 'in', ids)
        .where('period_key', 'in', keys)
        .execute())
        existing.set(`${r.indicator_id}|${r.period_key}`, r);
    }

    const outcomes: SaveOutcome[] = [];
    const inserted = new Map<string, ActualRow>();
    const updated = new Map<string, ActualRow>();
    const revisions: ActualRevisionsTable[] = [];
    for (const item of items) {
      const ind = indicators.get(item.indicatorId);
      if (!ind) {
        outcomes.push(reject('not_found', { what: 'indicator' }));
        continue;
      }
      if (user.role === 'reporter' && user.unitId !== ind.unit_id) {
        outcomes.push(reject('forbidden'));
        continue;
      }
      const period = periods.get(item.periodKey);
      if (!period) {
        outcomes.push(reject('not_found', { what: 'period' }));
        continue;
      }
      const parsed = parsePeriodKey(item.periodKey);
      if (!parsed || parsed.year !== ind.year || parsed.kind !== kindOfFrequency(ind.frequency)) {
        outcomes.push({
          outcome: 'rejected',
          error: invalid(ctx, 'periodOfIndicator', {
            period: item.periodKey,
            year: ind.year,
            frequency: translator(ctx.locale)(`indicators:frequency.${ind.frequency}`),
          }),
        });
        continue;
      }
      if (!Number.isFinite(item.value)) {
        outcomes.push(reject('validation_failed', { detail: 'value' }));
        continue;
      }
      const k = `${item.indicatorId}|${item.periodKey}`;
      const cur = existing.get(k);
      const step = reviewWorkflow.step(
        (cur?.status as ActualStatus | undefined) ?? null,
        item.submit ? 'submit' : 'save',
        'author',
      );
      if (opts.skipUnchanged && cur) {
        const same =
          cur.value === item.value &&
          cur.note === item.note &&
          // A refused step here means the value is verified: submitting it again unchanged is a no-op.
          (step.ok ? cur.status === step.to : item.submit);
        if (same) {
          outcomes.push({ outcome: 'unchanged', actual: cur });
          continue;
        }
      }
      if (user.role === 'reporter' && period.locked === 1) {
        outcomes.push(reject('period_locked', { period: item.periodKey }));
        continue;
      }
      // A verified number stands until the organizer returns it.
      if (!step.ok) {
        outcomes.push(reject('actual_verified', { period: item.periodKey }));
        continue;
      }
      const next: ActualRow = {
        id: cur?.id ?? newId(),
        indicator_id: item.indicatorId,
        period_key: item.periodKey,
        value: item.value,
        note: item.note,
        status: step.to,
        // The reason stays visible while the unit reworks a returned value, until it submits again.
        return_reason: item.submit ? null : (cur?.return_reason ?? null),
        version: (cur?.version ?? 0) + 1,
        submitted_at: item.submit ? now : (cur?.submitted_at ?? null),
        verified_at: null,
        updated_by: user.userId,
        updated_at: now,
      };
      existing.set(k, next);
      if (inserted.has(k) || !cur) inserted.set(k, next);
      else updated.set(k, next);
      revisions.push({
        id: newId(),
        actual_id: next.id,
        version: next.version,
        value: next.value,
        note: next.note,
        status: next.status,
        reason: null,
        actor_id: user.userId,
        actor_name: user.name,
        created_at: now,
      });
      outcomes.push({ outcome: 'applied', actual: next });
    }

    for (const rows of chunks([...inserted.values()], 200))
      await trx.insertInto('actuals').values(rows).execute();
    for (const a of updated.values()) {
      const { id, indicator_id: _i, period_key: _p, ...set } = a;
      await trx.updateTable('actuals').set(set).where('id', '=', id).execute();
    }
    for (const rows of chunks(revisions, 200))
      await trx.insertInto('actual_revisions').values(rows).execute();

    const applied = outcomes.filter((o) => o.outcome === 'applied') as { actual: ActualRow }[];
    if (user.role === 'organizer' && applied.length > 0) {
      const tctx = { ...ctx, db: trx };
      if (applied.length === 1) {
        const a = applied[0]!.actual;
        await audit(tctx, {
          action: 'actual.saved',
          target: `${indicators.get(a.indicator_id)?.code ?? a.indicator_id} ${a.period_key}`,
          after: { value: a.value, note: a.note, status: a.status, version: a.version },
        });
      } else {
        await audit(tctx, {
          action: 'actuals.saved',
          after: {
            applied: applied.length,
            unchanged: outcomes.filter((o) => o.outcome === 'unchanged').length,
          },
        });
      }
    }
    return outcomes;
  });
  noteActualsChanged(outcomes.flatMap((o) => (o.outcome === 'applied' ? [o.actual] : [])));
  return outcomes;
}

/** Saves one actual as a draft or submits it; always a new revision. */
export async function saveActual(
  ctx: Ctx,
  indicatorId: string,
  periodKey: string,
  input: { value: number; note: string; submit: boolean; confirmUnusual?: boolean },
): Promise<ActualView> {
  const { row } = await indicatorForWrite(ctx, indicatorId);
  if (!input.confirmUnusual && unusualActual(row, input.value) !== null) {
    throw new AppError('actual_unusual', { value: input.value, measure: row.measure, code: row.code });
  }
  const [result] = await saveActuals(ctx, [{ indicatorId, periodKey, ...input }]);
  if (!result) throw new AppError('internal');
  if (result.outcome === 'rejected') throw result.error;
  const ev = await evidenceOf(ctx, [result.actual.id]);
  return presentActual(result.actual, ev.get(result.actual.id));
}

async function loadActual(ctx: Pick<Ctx, 'db'>, indicatorId: string, periodKey: string): Promise<ActualRow> {
  const a = await ctx.db
    .selectFrom('actuals')
    .selectAll()
    .where('indicator_id', '=', indicatorId)
    .where('period_key', '=', periodKey)
    .executeTakeFirst();
  if (!a) throw new AppError('not_found', { what: 'actual' });
  return a;
}

/** The organizer verifies a submitted actual, or returns a submitted or verified one with a reason. */
export async function reviewActual(
  ctx: Ctx,
  indicatorId: string,
  periodKey: string,
  input: { decision: 'verify' | 'return'; reason?: string | undefined },
): Promise<ActualView> {
  const user = requireOrganizer(ctx.actor);
  const { row: ind } = await indicatorForRead(ctx, indicatorId);
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'return' && !reason) throw new AppError('return_reason_required');
  const now = nowIso(ctx);
  const next = await ctx.db.transaction().execute(async (trx) => {
    const cur = await loadActual({ db: trx }, indicatorId, periodKey);
    const step = reviewWorkflow.step(cur.status as ActualStatus, input.decision, 'reviewer');
    if (!step.ok) throw new AppError('actual_not_submitted', { status: cur.status });
    const row: ActualRow = {
      ...cur,
      status: step.to,
      return_reason: input.decision === 'return' ? reason : null,
      verified_at: input.decision === 'verify' ? now : null,
      version: cur.version + 1,
      updated_by: user.userId,
      updated_at: now,
    };
    await trx
      .updateTable('actuals')
      .set({
        status: row.status,
        return_reason: row.return_reason,
        verified_at: row.verified_at,
        version: row.version,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      })
      .where('id', '=', cur.id)
      .execute();
    await trx
      .insertInto('actual_revisions')
      .values({
        id: newId(),
        actual_id: cur.id,
        version: row.version,
        value: row.value,
        note: row.note,
        status: row.status,
        reason: input.decision === 'return' ? reason : null,
        actor_id: user.userId,
        actor_name: user.name,
        created_at: now,
      })
      .execute();
    await audit(
      { ...ctx, db: trx },
      {
        action: input.decision === 'verify' ? 'actual.verified' : 'actual.returned',
        target: `${ind.code} ${periodKey}`,
        before: { status: cur.status, value: cur.value },
        after: { status: row.status, value: row.value },
        reason: input.decision === 'return' ? reason : null,
      },
    );
    return row;
  });
  noteActualsChanged([next]);
  const ev = await evidenceOf(ctx, [next.id]);
  return presentActual(next, ev.get(next.id));
}

export interface RevisionView {
  version: number;
  value: number;
  note: string;
  status: ActualStatus;
  reason: string | null;
  actorName: string;
  createdAt: string;
}

export async function listRevisions(
  ctx: Ctx,
  indicatorId: string,
  periodKey: string,
): Promise<RevisionView[]> {
  const { row, user } = await indicatorForRead(ctx, indicatorId);
  const a = await loadActual(ctx, indicatorId, periodKey);
  const rows = await ctx.db
    .selectFrom('actual_revisions')
    .selectAll()
    .where('actual_id', '=', a.id)
    .orderBy('version')
    .execute();
  return visibleActuals(user, row.unit_id, rows).map(presentRevision);
}

export const presentRevision = (
  r: Omit<ActualRevisionsTable, 'id' | 'actual_id' | 'actor_id'>,
): RevisionView => ({
  version: r.version,
  value: r.value,
  note: r.note,
  status: r.status as ActualStatus,
  reason: r.reason,
  actorName: r.actor_name,
  createdAt: r.created_at,
});

// ---------- evidence ----------

const EVIDENCE_TYPES = 'PDF / JPG / PNG / XLSX / DOCX';
/** What evidence may be, by the type detected from the bytes (file-type reads the magic numbers and, for
 * Office files, the package's parts): the extension and type it is stored and served with. */
const EVIDENCE_KINDS: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The file's type from its bytes, never from its name or the declared content type: a renamed
 * executable is refused, and a PDF named .hta is a PDF.
 */
export async function sniffEvidence(buf: Buffer): Promise<{ mime: string; ext: string } | null> {
  const found = await fileTypeFromBuffer(buf);
  const mime = found ? EVIDENCE_KINDS[found.ext] : undefined;
  return found && mime ? { mime, ext: found.ext } : null;
}

/** The name a file is stored and downloaded under: its own name, with the extension of its real type. */
export function withDetectedExtension(name: string, ext: string): string {
  const dot = name.lastIndexOf('.');
  const stem = (dot > 0 ? name.slice(0, dot) : name).trim() || 'evidence';
  return `${stem}.${ext}`;
}

/** A header value (URL-encoded by the client) made into a safe plain file name. */
export function evidenceFileName(ctx: Pick<Ctx, 'locale'>, header: string | undefined, ext: string): string {
  let name = '';
  if (header) {
    try {
      name = decodeURIComponent(header);
    } catch {
      throw invalid(ctx, 'fileName');
    }
  }
  // No paths, no control characters: the name is echoed into a download header later.
  name = [...name]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .replace(/[\\/]/g, '_')
    .trim()
    .slice(0, 200);
  return name || `evidence.${ext}`;
}

export async function uploadEvidence(
  ctx: Ctx,
  indicatorId: string,
  periodKey: string,
  file: { body: unknown; fileName: string | undefined },
): Promise<ActualView> {
  const { user, row: ind } = await indicatorForWrite(ctx, indicatorId);
  const body = file.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError('file_type_invalid', { expected: EVIDENCE_TYPES });
  if (body.length > MAX_UPLOAD_BYTES)
    throw new AppError('file_too_large', { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
  const kind = await sniffEvidence(body);
  if (!kind) throw new AppError('file_type_invalid', { expected: EVIDENCE_TYPES });
  const fileName = withDetectedExtension(evidenceFileName(ctx, file.fileName, kind.ext), kind.ext);
  const actual = await loadActual(ctx, indicatorId, periodKey);
  await assertReporterMayChange(ctx, user, actual);
  const row = {
    id: newId(),
    actual_id: actual.id,
    file_name: fileName,
    mime: kind.mime,
    size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    content_base64: body.toString('base64'),
    uploaded_by: user.userId,
    created_at: nowIso(ctx),
  };
  await ctx.db.insertInto('evidence_files').values(row).execute();
  if (user.role === 'organizer')
    await audit(ctx, {
      action: 'evidence.uploaded',
      target: `${ind.code} ${periodKey}`,
      after: { fileName, mime: kind.mime, size: body.length, sha256: row.sha256 },
    });
  const ev = await evidenceOf(ctx, [actual.id]);
  return presentActual(actual, ev.get(actual.id));
}

async function assertReporterMayChange(ctx: Ctx, user: UserActor, actual: ActualRow): Promise<void> {
  if (user.role !== 'reporter') return;
  const p = await ctx.db
    .selectFrom('periods')
    .select('locked')
    .where('key', '=', actual.period_key)
    .executeTakeFirst();
  if (p?.locked === 1) throw new AppError('period_locked', { period: actual.period_key });
  if (actual.status === 'verified') throw new AppError('actual_verified', { period: actual.period_key });
}

export async function downloadEvidence(
  ctx: Ctx,
  fileId: string,
): Promise<{ body: Buffer; mime: string; fileName: string }> {
  requireUser(ctx.actor);
  const f = await ctx.db
    .selectFrom('evidence_files as f')
    .innerJoin('actuals as a', 'a.id', 'f.actual_id')
    .select(['f.file_name', 'f.mime', 'f.content_base64', 'a.indicator_id'])
    .where('f.id', '=', fileId)
    .executeTakeFirst();
  if (!f) throw new AppError('not_found', { what: 'evidence' });
  await indicatorForRead(ctx, f.indicator_id);
  // Files stored before names followed the detected type are served under a name that does.
  const ext = Object.entries(EVIDENCE_KINDS).find(([, m]) => m === f.mime)?.[0] ?? 'bin';
  return {
    body: Buffer.from(f.content_base64, 'base64'),
    mime: f.mime,
    fileName: withDetectedExtension(f.file_name, ext),
  };
}
