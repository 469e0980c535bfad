// Showcase reports' use cases: the event's template and required content (organizer), a unit's report
// (its reporter writes, submits; the organizer approves or returns with comments), the slides and the
// PPTX. Numbers come from the indicators module's reported statuses and are frozen at submission.
import { actorName, requireOrganizer, requireUser, type UserActor } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { type ReviewStatus, reviewWorkflow } from '../../kernel/review-workflow.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { ReportsTable } from '../../platform/db/schema.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { newId } from '../../platform/ids.ts';
import { getEventRow, loadEventTracks, loadSlots } from '../event/index.ts';
import { reportedStatuses } from '../indicators/index.ts';
import { plainText, plainVars } from '../notifications/domain/notices.ts';
import { enqueueNotice } from '../notifications/index.ts';
import { checkReport, type Problem } from './domain/check.ts';
import { type Change, compareRevisions, reportsLocked } from './domain/compare.ts';
import type { Deck } from './domain/layout.ts';
import {
  deadlinePassed,
  emptyContent,
  type IndicatorFact,
  type ReportContent,
  type RequiredItem,
} from './domain/report.ts';
import { defaultTemplate, type ReportTemplate, templateProblems } from './domain/template.ts';
import { deckLabels, problemMessage } from './domain/words.ts';
import { photoSource } from './photo-store.ts';
import { type DeckPart, renderPptx } from './pptx.ts';
import type { ReportOutline, ReportView, TemplateView } from './schemas.ts';

type EventRow = Awaited<ReturnType<typeof getEventRow>>;

export const lockedOf = (e: EventRow) =>
  reportsLocked({ scoringStarted: e.scoring_started === 1, status: e.status });

// ---------- template ----------

interface StoredTemplate {
  template: ReportTemplate;
  periodKey: string | null;
  deadline: string | null;
}

async function loadTemplate(ctx: Ctx, event: EventRow): Promise<StoredTemplate & { logo: boolean }> {
  const [row, logo] = await Promise.all([
    ctx.db.selectFrom('report_templates').selectAll().where('event_id', '=', event.id).executeTakeFirst(),
    ctx.db.selectFrom('report_logos').select('event_id').where('event_id', '=', event.id).executeTakeFirst(),
  ]);
  if (!row) {
    const theme = event.screen_theme === 'neutral' ? 'neutral' : 'red';
    return { template: defaultTemplate(event.title, theme), periodKey: null, deadline: null, logo: !!logo };
  }
  return {
    template: JSON.parse(row.body) as ReportTemplate,
    periodKey: row.period_key,
    deadline: row.deadline,
    logo: !!logo,
  };
}

/** Any signed-in user but judges and screens reads the template: it says what every unit must show. */
export async function getTemplate(ctx: Ctx, eventId: string): Promise<TemplateView> {
  requireUser(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  const { logo, ...stored } = await loadTemplate(ctx, event);
  return { ...stored, locked: lockedOf(event), eventDate: event.start_date, hasLogo: logo };
}

export async function saveTemplate(ctx: Ctx, eventId: string, input: StoredTemplate): Promise<TemplateView> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  if (lockedOf(event)) throw new AppError('reports_locked');
  const problems = templateProblems(input.template);
  if (problems.length > 0)
    throw new AppError('validation_failed', { detail: problems.map((p) => p.code).join(', ') });
  const row = {
    event_id: eventId,
    body: JSON.stringify(input.template),
    period_key: input.periodKey,
    deadline: input.deadline,
    updated_at: nowIso(ctx),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('report_templates').where('event_id', '=', eventId).execute();
    await trx.insertInto('report_templates').values(row).execute();
    await audit(
      { ...ctx, db: trx },
      { eventId, action: 'report_template.saved', target: event.title, after: input },
    );
  });
  const logo = await ctx.db
    .selectFrom('report_logos')
    .select('event_id')
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return { ...input, locked: false, eventDate: event.start_date, hasLogo: !!logo };
}

// ---------- required content ----------

async function loadRequired(ctx: Ctx, eventId: string, unitId: string): Promise<RequiredItem[]> {
  const rows = await ctx.db
    .selectFrom('report_required')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('unit_id', '=', unitId)
    .orderBy('sort')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as RequiredItem['kind'],
    indicatorId: r.indicator_id,
    title: r.title,
  }));
}

/** A reporter reads its own unit's and the organizer any unit's; it is not news to hide from leaders. */
function assertReadsUnit(user: UserActor, unitId: string) {
  if (user.role === 'reporter' && user.unitId !== unitId) throw new AppError('forbidden');
}

export async function getRequired(ctx: Ctx, eventId: string, unitId: string): Promise<RequiredItem[]> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter', 'leader', 'observer');
  assertReadsUnit(user, unitId);
  await getEventRow(ctx, eventId);
  return loadRequired(ctx, eventId, unitId);
}

export async function setRequired(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  items: { kind: 'indicator' | 'work'; indicatorId: string | null; title: string }[],
): Promise<RequiredItem[]> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  if (lockedOf(event)) throw new AppError('reports_locked');
  await assertUnitOnAgenda(ctx, eventId, unitId);
  for (const it of items) {
    if (it.kind === 'indicator') {
      if (!it.indicatorId) throw new AppError('validation_failed', { detail: 'indicatorId' });
      const ind = await ctx.db
        .selectFrom('indicators')
        .select('unit_id')
        .where('id', '=', it.indicatorId)
        .executeTakeFirst();
      if (!ind) throw new AppError('not_found', { what: 'indicator' });
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('report_required')
      .where('event_id', '=', eventId)
      .where('unit_id', '=', unitId)
      .execute();
    if (items.length > 0)
      await trx
        .insertInto('report_required')
        .values(
          items.map((it, i) => ({
            id: newId(),
            event_id: eventId,
            unit_id: unitId,
            kind: it.kind,
            indicator_id: it.kind === 'indicator' ? it.indicatorId : null,
            title: it.title,
            sort: i,
          })),
        )
        .execute();
    await audit(
      { ...ctx, db: trx },
      { eventId, action: 'report_required.set', target: unitId, after: items },
    );
  });
  return loadRequired(ctx, eventId, unitId);
}

async function assertUnitOnAgenda(ctx: Ctx, eventId: string, unitId: string) {
  const slots = await loadSlots(ctx, eventId);
  const slot = slots.find((s) => s.unitId === unitId);
  if (!slot) throw new AppError('not_found', { what: 'unit' });
  return slot;
}

// ---------- facts ----------

const pct = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10);

async function liveFacts(
  ctx: Ctx,
  required: RequiredItem[],
  periodKey: string | null,
): Promise<IndicatorFact[]> {
  const ids = required
    .filter((r) => r.kind === 'indicator' && r.indicatorId)
    .map((r) => r.indicatorId as string);
  if (ids.length === 0 || periodKey === null) return [];
  const statuses = await reportedStatuses(ctx, ids, periodKey);
  return ids.flatMap((id) => {
    const s = statuses.get(id);
    if (!s) return [];
    const v = s.status;
    const ranking = v.latestRanking
      ? { from: v.latestRanking.change.previousRank, to: v.latestRanking.rank, outOf: v.latestRanking.outOf }
      : null;
    return [
      {
        indicatorId: v.indicatorId,
        code: v.code,
        name: v.name,
        measure: v.measure,
        target: v.target,
        actual: v.actual,
        completionPct: pct(v.completion),
        expectedPct: pct(v.expected) ?? 0,
        light: v.light,
        explanation: v.explanation,
        ranking,
        source: { periodKey: v.periodKey, verifiedBy: s.verifiedBy, verifiedAt: s.verifiedAt },
      },
    ];
  });
}

/** Ids of the facts whose numbers or light moved since they were frozen. */
function staleIds(frozen: IndicatorFact[], live: IndicatorFact[]): string[] {
  const now = new Map(live.map((f) => [f.indicatorId, f]));
  return frozen
    .filter((f) => {
      const l = now.get(f.indicatorId);
      return !l || l.actual !== f.actual || l.light !== f.light || l.ranking?.to !== f.ranking?.to;
    })
    .map((f) => f.indicatorId);
}

// ---------- a unit's report ----------

export interface Loaded {
  event: EventRow;
  unitName: string;
  stored: StoredTemplate & { logo: boolean };
  row: ReportsTable | undefined;
  required: RequiredItem[];
}

export async function loadReport(ctx: Ctx, eventId: string, unitId: string): Promise<Loaded> {
  const event = await getEventRow(ctx, eventId);
  const slot = await assertUnitOnAgenda(ctx, eventId, unitId);
  const [stored, row, required] = await Promise.all([
    loadTemplate(ctx, event),
    ctx.db
      .selectFrom('reports')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('unit_id', '=', unitId)
      .executeTakeFirst(),
    loadRequired(ctx, eventId, unitId),
  ]);
  return { event, unitName: slot.unitName, stored, row, required };
}

/**
 * Who reads a report: its unit and the organizer at every stage; leaders and observers once approved
 * (drafts and reviews in progress are nobody else's business).
 */
function assertReads(user: UserActor, unitId: string, status: string | null) {
  if (user.role === 'organizer') return;
  if (user.role === 'reporter') return assertReadsUnit(user, unitId);
  if ((user.role === 'leader' || user.role === 'observer') && status === 'verified') return;
  throw new AppError('forbidden');
}

/** The deck and what stops it, from the template, the unit's required content and these numbers. */
function checkOf(l: Loaded, content: ReportContent, facts: IndicatorFact[], ctx: Ctx) {
  return checkReport({
    template: l.stored.template,
    periodKey: l.stored.periodKey,
    unitName: l.unitName,
    dateText: l.event.start_date,
    logo: l.stored.logo,
    content,
    required: l.required,
    facts,
    labels: deckLabels(translator(ctx.locale)),
  });
}

const problemViews = (ctx: Ctx, problems: Problem[]) =>
  problems.map((p) => ({ code: p.code, message: problemMessage(translator(ctx.locale), p) }));

const contentOf = (row: ReportsTable | undefined): ReportContent =>
  row ? (JSON.parse(row.content) as ReportContent) : emptyContent();
const frozenOf = (row: ReportsTable | undefined): IndicatorFact[] | null =>
  row?.facts ? (JSON.parse(row.facts) as IndicatorFact[]) : null;

async function present(ctx: Ctx, l: Loaded, unitId: string): Promise<ReportView> {
  const content = contentOf(l.row);
  const live = await liveFacts(ctx, l.required, l.stored.periodKey);
  const frozen = frozenOf(l.row);
  const facts = frozen ?? live;
  return {
    eventId: l.event.id,
    unitId,
    unitName: l.unitName,
    status: (l.row?.status as ReviewStatus | undefined) ?? null,
    version: l.row?.version ?? 0,
    content,
    required: l.required,
    facts,
    staleIndicatorIds: frozen ? staleIds(frozen, live) : [],
    problems: problemViews(ctx, checkOf(l, content, facts, ctx).problems),
    comments: l.row?.comments ? (JSON.parse(l.row.comments) as ReportView['comments']) : [],
    submittedAt: l.row?.submitted_at ?? null,
    reviewedAt: l.row?.reviewed_at ?? null,
    updatedAt: l.row?.updated_at ?? null,
    locked: lockedOf(l.event),
  };
}

export async function getReport(ctx: Ctx, eventId: string, unitId: string): Promise<ReportView> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter', 'leader', 'observer');
  assertReadsUnit(user, unitId);
  const l = await loadReport(ctx, eventId, unitId);
  assertReads(user, unitId, l.row?.status ?? null);
  return present(ctx, l, unitId);
}

/** The author party: the unit's own reporter, or the organizer acting for it. */
export function authorOf(ctx: Ctx, unitId: string): UserActor {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  assertReadsUnit(user, unitId);
  return user;
}

async function writeRow(
  ctx: Ctx,
  l: Loaded,
  unitId: string,
  next: Pick<ReportsTable, 'status' | 'content' | 'facts' | 'comments'> &
    Partial<Pick<ReportsTable, 'submitted_at' | 'reviewed_at'>>,
  revision: boolean,
  audited: { action: 'report.saved' | 'report.submitted' | 'report.verified' | 'report.returned' },
  /** More work in the same transaction (the notice of a return). */
  alsoInTransaction?: (trxCtx: Ctx, row: ReportsTable) => Promise<void>,
): Promise<void> {
  const now = nowIso(ctx);
  const version = (l.row?.version ?? 0) + (revision ? 1 : 0);
  const row: ReportsTable = {
    id: l.row?.id ?? newId(),
    event_id: l.event.id,
    unit_id: unitId,
    version,
    submitted_at: next.submitted_at ?? l.row?.submitted_at ?? null,
    reviewed_at: next.reviewed_at ?? l.row?.reviewed_at ?? null,
    updated_by: actorName(ctx.actor),
    updated_at: now,
    ...next,
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (l.row) await trx.updateTable('reports').set(row).where('id', '=', row.id).execute();
    else await trx.insertInto('reports').values(row).execute();
    if (revision)
      await trx
        .insertInto('report_revisions')
        .values({
          id: newId(),
          report_id: row.id,
          version,
          status: row.status,
          content: row.content,
          facts: row.facts,
          comments: row.comments,
          actor_id: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
          actor_name: actorName(ctx.actor),
          created_at: now,
        })
        .execute();
    await audit(
      { ...ctx, db: trx },
      { eventId: l.event.id, action: audited.action, target: l.unitName, after: { version } },
    );
    await alsoInTransaction?.({ ...ctx, db: trx }, row);
  });
}

/** A highlight shows only photos this unit uploaded for this event. */
async function assertOwnPhotos(ctx: Ctx, eventId: string, unitId: string, content: ReportContent) {
  const ids = [...new Set(content.highlights.flatMap((h) => h.photoIds))];
  if (ids.length === 0) return;
  const found = await ctx.db
    .selectFrom('report_photos')
    .select('id')
    .where('event_id', '=', eventId)
    .where('unit_id', '=', unitId)
    .where('id', 'in', ids)
    .execute();
  if (found.length !== ids.length) throw new AppError('not_found', { what: 'photo' });
}

function step(
  from: string | null,
  action: 'save' | 'submit' | 'verify' | 'return',
  party: 'author' | 'reviewer',
) {
  const s = reviewWorkflow.step((from as ReviewStatus | null) ?? null, action, party);
  if (!s.ok)
    throw new AppError(from === 'verified' ? 'report_verified' : 'conflict', {
      detail: `${from} → ${action}`,
    });
  return s.to;
}

export async function saveReport(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  content: ReportContent,
): Promise<ReportView> {
  authorOf(ctx, unitId);
  const l = await loadReport(ctx, eventId, unitId);
  if (lockedOf(l.event)) throw new AppError('reports_locked');
  const to = step(l.row?.status ?? null, 'save', 'author');
  await assertOwnPhotos(ctx, eventId, unitId, content);
  // A draft holds no frozen numbers: they are taken again at the next submission.
  await writeRow(
    ctx,
    l,
    unitId,
    { status: to, content: JSON.stringify(content), facts: null, comments: l.row?.comments ?? null },
    false,
    { action: 'report.saved' },
  );
  return present(ctx, await loadReport(ctx, eventId, unitId), unitId);
}

export async function submitReport(ctx: Ctx, eventId: string, unitId: string): Promise<ReportView> {
  const user = authorOf(ctx, unitId);
  const l = await loadReport(ctx, eventId, unitId);
  if (lockedOf(l.event)) throw new AppError('reports_locked');
  // A unit submits by the deadline; later, the organizer (who may also move the deadline) submits for it.
  if (user.role === 'reporter' && deadlinePassed(l.stored.deadline, ctx.now.getTime()))
    throw new AppError('report_deadline_passed', { date: l.stored.deadline });
  const to = step(l.row?.status ?? null, 'submit', 'author');
  const content = contentOf(l.row);
  const facts = await liveFacts(ctx, l.required, l.stored.periodKey);
  const { problems } = checkOf(l, content, facts, ctx);
  if (problems.length > 0)
    throw new AppError(
      'report_incomplete',
      { count: problems.length },
      { problems: problemViews(ctx, problems) },
    );
  await writeRow(
    ctx,
    l,
    unitId,
    {
      status: to,
      content: JSON.stringify(content),
      facts: JSON.stringify(facts),
      comments: null,
      submitted_at: nowIso(ctx),
    },
    true,
    { action: 'report.submitted' },
  );
  return present(ctx, await loadReport(ctx, eventId, unitId), unitId);
}

export async function reviewReport(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  input: { decision: 'verify' | 'return'; comments: { path: string; text: string }[] },
): Promise<ReportView> {
  requireOrganizer(ctx.actor);
  const l = await loadReport(ctx, eventId, unitId);
  if (lockedOf(l.event)) throw new AppError('reports_locked');
  if (input.decision === 'return' && input.comments.length === 0)
    throw new AppError('return_reason_required');
  const to = step(l.row?.status ?? null, input.decision, 'reviewer');
  await writeRow(
    ctx,
    l,
    unitId,
    {
      status: to,
      content: l.row?.content ?? JSON.stringify(emptyContent()),
      facts: l.row?.facts ?? null,
      comments: input.decision === 'return' ? JSON.stringify(input.comments) : null,
      reviewed_at: nowIso(ctx),
    },
    true,
    { action: input.decision === 'verify' ? 'report.verified' : 'report.returned' },
    input.decision === 'return'
      ? async (tctx, row) => {
          // The unit's group hears of the return with the reasons, in the return's own transaction.
          const t = translator('zh-CN');
          const reporters = await tctx.db
            .selectFrom('users')
            .select('id')
            .where('unit_id', '=', unitId)
            .where('role', '=', 'reporter')
            .execute();
          const reasons = input.comments.map((c) => `- ${plainText(c.text)}`).join('\n');
          await enqueueNotice(tctx, {
            causeKey: `report:${row.id}:returned:${row.version}`,
            kind: 'report_returned',
            unitId,
            audiences: ['unit'],
            title: t('reports:notice.returned.title', plainVars({ event: l.event.title })),
            markdown: t('reports:notice.returned.body', {
              ...plainVars({ event: l.event.title, unit: l.unitName }),
              reasons,
            }),
            linkPath: `/events/${eventId}/report`,
            mentionUserIds: reporters.map((r) => r.id),
          });
        }
      : undefined,
  );
  return present(ctx, await loadReport(ctx, eventId, unitId), unitId);
}

export async function listReports(ctx: Ctx, eventId: string) {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  await getEventRow(ctx, eventId);
  const slots = (await loadSlots(ctx, eventId)).filter(
    (s) => user.role === 'organizer' || s.unitId === user.unitId,
  );
  const rows = await ctx.db.selectFrom('reports').selectAll().where('event_id', '=', eventId).execute();
  const byUnit = new Map(rows.map((r) => [r.unit_id, r]));
  return slots.map((s) => {
    const r = byUnit.get(s.unitId);
    return {
      unitId: s.unitId,
      unitName: s.unitName,
      trackId: s.trackId,
      position: s.position,
      status: (r?.status as ReviewStatus | undefined) ?? null,
      version: r?.version ?? 0,
      submittedAt: r?.submitted_at ?? null,
    };
  });
}

export async function listRevisions(ctx: Ctx, eventId: string, unitId: string) {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  assertReadsUnit(user, unitId);
  const l = await loadReport(ctx, eventId, unitId);
  if (!l.row) return [];
  const rows = await ctx.db
    .selectFrom('report_revisions')
    .select(['version', 'status', 'actor_name', 'created_at'])
    .where('report_id', '=', l.row.id)
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    status: r.status as ReviewStatus,
    actorName: r.actor_name,
    createdAt: r.created_at,
  }));
}

export async function compareReportRevisions(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  from: number,
  to: number,
): Promise<Change[]> {
  const user = requireUser(ctx.actor, 'organizer', 'reporter');
  assertReadsUnit(user, unitId);
  const l = await loadReport(ctx, eventId, unitId);
  if (!l.row) throw new AppError('not_found', { what: 'report' });
  const revs = await ctx.db
    .selectFrom('report_revisions')
    .select(['version', 'content', 'facts'])
    .where('report_id', '=', l.row.id)
    .where('version', 'in', [from, to])
    .execute();
  const a = revs.find((r) => r.version === from);
  const b = revs.find((r) => r.version === to);
  if (!a || !b) throw new AppError('not_found', { what: 'revision' });
  const shape = (r: { content: string; facts: string | null }) => ({
    content: JSON.parse(r.content) as unknown,
    facts: Object.fromEntries(
      ((r.facts ? JSON.parse(r.facts) : []) as IndicatorFact[]).map((f) => [
        f.code,
        { actual: f.actual, light: f.light },
      ]),
    ),
  });
  return compareRevisions(shape(a), shape(b));
}

// ---------- slides and files ----------

/**
 * The deck as the screen and the preview draw it, for whoever may read the report: the frozen numbers
 * once submitted. The hall (the event's big screen and judges) reads approved decks only, without the
 * numbers' sources: the hall sees what is shown, not who verified it.
 */
async function readableDeck(
  ctx: Ctx,
  eventId: string,
  unitId: string,
): Promise<{ deck: Deck; unitName: string }> {
  const { l, hall } = await readableReport(ctx, eventId, unitId);
  const facts = frozenOf(l.row) ?? (await liveFacts(ctx, l.required, l.stored.periodKey));
  const deck = checkOf(l, contentOf(l.row), facts, ctx).layout.deck;
  return { deck: hall ? { ...deck, facts: {} } : deck, unitName: l.unitName };
}

/**
 * Whether the actor is the hall (the event's big screen or one of its judges); the hall of another event
 * is refused here, once, for every read the hall may make.
 */
export function hallOf(actor: Ctx['actor'], eventId: string): boolean {
  if (actor.kind !== 'screen' && actor.kind !== 'judge') return false;
  if (actor.eventId !== eventId) throw new AppError('forbidden');
  return true;
}

/** The report, for whoever may read it (see readableDeck); `hall` for the event's screen and judges. */
export async function readableReport(
  ctx: Ctx,
  eventId: string,
  unitId: string,
): Promise<{ l: Loaded; hall: boolean }> {
  const actor = ctx.actor;
  const hall = hallOf(actor, eventId);
  if (!hall) assertReadsUnit(requireUser(actor, 'organizer', 'reporter', 'leader', 'observer'), unitId);
  const l = await loadReport(ctx, eventId, unitId);
  if (hall) {
    if (l.row?.status !== 'verified') throw new AppError('not_found', { what: 'report' });
  } else {
    assertReads(requireUser(actor), unitId, l.row?.status ?? null);
  }
  return { l, hall };
}

export async function reportSlides(ctx: Ctx, eventId: string, unitId: string): Promise<Deck> {
  return (await readableDeck(ctx, eventId, unitId)).deck;
}

/**
 * What a judge's phone shows below the score form: the approved deck's slide titles (a title split
 * across slides once) and the required indicators with their frozen numbers.
 */
export async function reportOutline(ctx: Ctx, eventId: string, unitId: string): Promise<ReportOutline> {
  // The event's judges (not its screen: the outline is for the phone) and the organizer.
  if (ctx.actor.kind === 'judge') hallOf(ctx.actor, eventId);
  else requireUser(ctx.actor, 'organizer');
  const l = await loadReport(ctx, eventId, unitId);
  const frozen = frozenOf(l.row);
  if (l.row?.status !== 'verified' || !frozen) throw new AppError('not_found', { what: 'report' });
  const deck = checkOf(l, contentOf(l.row), frozen, ctx).layout.deck;
  const titles: string[] = [];
  for (const slide of deck.slides) {
    const base = slideTitleBase(slide.title);
    if (base && titles.at(-1) !== base) titles.push(base);
  }
  return {
    unitName: l.unitName,
    titles,
    indicators: frozen.map((f) => ({
      name: f.name,
      measure: f.measure,
      target: f.target,
      actual: f.actual,
      completionPct: f.completionPct,
      expectedPct: f.expectedPct,
      light: f.light,
      ranking: f.ranking,
    })),
  };
}

/** "短板不足（1/2）" → "短板不足": the continued parts of one list are one title on a phone. */
const slideTitleBase = (title: string): string => title.replace(/\s*[（(]\d+\/\d+[）)]$/, '').trim();

export async function reportPptx(
  ctx: Ctx,
  eventId: string,
  unitId: string,
): Promise<{ file: Buffer; unitName: string }> {
  const { deck, unitName } = await readableDeck(ctx, eventId, unitId);
  return {
    file: await renderPptx([{ kind: 'deck', deck }], await photoSource(ctx, eventId, [unitId])),
    unitName,
  };
}

/** Every approved report in agenda order, a divider before each track (organizer, leader, observer). */
export async function eventPptx(ctx: Ctx, eventId: string): Promise<{ file: Buffer; title: string }> {
  requireUser(ctx.actor, 'organizer', 'leader', 'observer');
  const event = await getEventRow(ctx, eventId);
  const stored = await loadTemplate(ctx, event);
  const [slots, tracks] = await Promise.all([loadSlots(ctx, eventId), loadEventTracks(ctx, eventId)]);
  const approved = new Set(
    (
      await ctx.db
        .selectFrom('reports')
        .select('unit_id')
        .where('event_id', '=', eventId)
        .where('status', '=', 'verified')
        .execute()
    ).map((r) => r.unit_id),
  );
  const parts: DeckPart[] = [];
  for (const track of tracks) {
    const units = slots
      .filter((s) => s.trackId === track.id && approved.has(s.unitId))
      .sort((a, b) => a.position - b.position);
    if (units.length === 0) continue;
    parts.push({
      kind: 'divider',
      title: ctx.locale === 'en-US' ? track.nameEn || track.nameZh : track.nameZh,
      subtitle: stored.template.look.eventTitle,
      color: stored.template.look.primaryColor,
    });
    for (const s of units) {
      const l = await loadReport(ctx, eventId, s.unitId);
      parts.push({
        kind: 'deck',
        deck: checkOf(l, contentOf(l.row), frozenOf(l.row) ?? [], ctx).layout.deck,
      });
    }
  }
  return {
    file: await renderPptx(parts, await photoSource(ctx, eventId, [...approved])),
    title: event.title,
  };
}

/** A unit's returned reports (for its inbox): the event, its deadline, when it was returned. */
export async function returnedReportsOf(
  ctx: Pick<Ctx, 'db'>,
  unitId: string,
): Promise<{ eventId: string; eventTitle: string; deadline: string | null; updatedAt: string }[]> {
  const rows = await ctx.db
    .selectFrom('reports as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .leftJoin('report_templates as t', 't.event_id', 'r.event_id')
    .select(['r.event_id', 'e.title', 't.deadline', 'r.updated_at'])
    .where('r.unit_id', '=', unitId)
    .where('r.status', '=', 'returned')
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    eventTitle: r.title,
    deadline: r.deadline,
    updatedAt: r.updated_at,
  }));
}
