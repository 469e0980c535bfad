// Results leaving the system: the Excel workbook people file and re-sort, the JSON export anyone can
// re-verify with `npx shaipin verify`, and the data of the printable results sheet.
import { requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import type { EventRow } from '../../platform/db/schema.ts';
import { workbookDateTime, writeWorkbook } from '../../platform/excel.ts';
import { translator } from '../../platform/i18n/translator.ts';
import { type EventExport, EXPORT_FORMAT, EXPORT_VERSION } from './domain/event-export.ts';
import { mayExport, type ResultsFile } from './domain/export-access.ts';
import { type ChainedEntry, latestPerSlotAndJudge } from './domain/ledger.ts';
import { judgeTotal } from './domain/scoring.ts';
import {
  buildLiveResults,
  type EventData,
  type EventPanel,
  findEvent,
  loadEventData,
  publishedSnapshot,
} from './results.ts';
import type { ResultsView } from './schemas.ts';

/**
 * Organizer and observer always; leaders once the results are published. While a slot is open only
 * the organizer exports: the file would carry that slot's running score (see computeEventResults).
 */
async function requireExportReader(ctx: Ctx, event: EventRow, file: ResultsFile): Promise<void> {
  const user = requireUser(ctx.actor, 'organizer', 'observer', 'leader');
  if (!mayExport(user.role, file, event.published_at !== null)) throw new AppError('forbidden');
  if (user.role === 'organizer') return;
  const open = await ctx.db
    .selectFrom('slots')
    .select('id')
    .where('event_id', '=', event.id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (open) throw new AppError('scoring_in_progress');
}

async function load(ctx: Ctx, eventId: string): Promise<EventData> {
  return ctx.db.isTransaction
    ? loadEventData(ctx.db, eventId)
    : ctx.db.transaction().execute((trx) => loadEventData(trx, eventId));
}

/** The official figures: the published snapshot once there is one, else the live computation. */
function officialResults(data: EventData, now: Date): ResultsView {
  return publishedSnapshot(data.event) ?? buildLiveResults(data, now);
}

export const judgeNumber = (n: number): string => String(n).padStart(2, '0');

// ---------- Excel ----------

/** Excel forbids []:*?/\ in sheet names and caps them at 31 characters; names must be unique. */
function sheetNamer(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    const base =
      name
        .replace(/[[\]:*?/\\]/g, ' ')
        .trim()
        .slice(0, 31) || 'Sheet';
    let candidate = base;
    for (let i = 2; used.has(candidate.toLowerCase()); i++)
      candidate = `${base.slice(0, 31 - `(${i})`.length)}(${i})`;
    used.add(candidate.toLowerCase());
    return candidate;
  };
}

type Mark = 'counted' | 'trimmedHigh' | 'trimmedLow' | 'recused';

/**
 * Which score of a slot was trimmed. The rule removes totals, not judges; when several judges share a
 * trimmed total, any one of them stands for it (the figure is the same), so the lower judge number is
 * marked, deterministically.
 */
function marksFor(
  data: EventData,
  live: ResultsView,
  latest: readonly ChainedEntry[],
): Map<ChainedEntry, Mark> {
  const marks = new Map<ChainedEntry, Mark>();
  const judges = new Map(data.judges.map((j) => [j.id, j]));
  const slots = new Map(data.slots.map((s) => [s.id, s]));
  const rows = new Map(live.tracks.flatMap((t) => t.rows.map((r) => [r.slotId, r] as const)));
  const groups = new Map<string, { entry: ChainedEntry; total: number; number: number }[]>();
  for (const entry of latest) {
    const judge = judges.get(entry.judgeId);
    const slot = slots.get(entry.slotId);
    if (!judge || !slot) continue;
    if (judge.affiliatedUnitIds.includes(slot.unit_id)) {
      marks.set(entry, 'recused');
      continue;
    }
    marks.set(entry, 'counted');
    const key = `${entry.slotId}\u0000${judge.panelId}`;
    const list = groups.get(key) ?? [];
    list.push({ entry, total: judgeTotal(entry.values), number: judge.number });
    groups.set(key, list);
  }
  for (const [key, list] of groups) {
    const [slotId, panelId] = key.split('\u0000') as [string, string];
    const panel = rows.get(slotId)?.panels.find((p) => p.panelId === panelId);
    if (!panel) continue;
    const byHigh = [...list].sort((a, b) => b.total - a.total || a.number - b.number);
    for (const x of byHigh.slice(0, panel.trimmedHigh.length)) marks.set(x.entry, 'trimmedHigh');
    const byLow = byHigh
      .filter((x) => marks.get(x.entry) === 'counted')
      .sort((a, b) => a.total - b.total || a.number - b.number);
    for (const x of byLow.slice(0, panel.trimmedLow.length)) marks.set(x.entry, 'trimmedLow');
  }
  return marks;
}

/**
 * The results workbook: one ranking sheet per track (rank, unit, score, each panel, penalty, grade,
 * criterion averages, judges scored) and a raw sheet with every score that counts (the latest version
 * per slot and judge), judges shown only by number.
 */
export async function exportResultsXlsx(ctx: Ctx, eventId: string): Promise<{ file: Buffer; title: string }> {
  await requireExportReader(ctx, await findEvent(ctx.db, eventId), 'xlsx');
  const data = await load(ctx, eventId);
  const t = translator(ctx.locale);
  const en = ctx.locale === 'en-US';
  const nameOf = (x: { nameZh: string; nameEn: string }) => (en && x.nameEn ? x.nameEn : x.nameZh);
  // Rankings show the official (published) figures; the raw sheet's marks follow the ledger as it is.
  const live = buildLiveResults(data, ctx.now);
  const official = publishedSnapshot(data.event) ?? live;
  const sheetName = sheetNamer();
  const trackNames = new Map(data.tracks.map((tr) => [tr.id, nameOf(tr)]));

  const rankingHeaders = [
    ...rankingColumns(t, data.panels),
    ...data.criteria.map((c) => t('results:columns.criterionAverage', { name: nameOf(c) })),
    t('results:columns.participation'),
  ];
  const rankingSheets = official.tracks.map((track) => ({
    name: sheetName(trackNames.get(track.trackId) ?? track.trackName),
    headers: rankingHeaders,
    rows: track.rows.map((r) => [
      r.rank,
      r.unitName,
      r.score,
      ...data.panels.map((p) => r.panels.find((x) => x.panelId === p.id)?.score ?? null),
      r.penalty,
      r.grade === null ? null : en ? r.grade.labelEn || r.grade.labelZh : r.grade.labelZh,
      ...data.criteria.map((c) => r.criterionAverages[c.id] ?? null),
      r.participation.scored,
    ]),
    widths: [8, 28, 10, ...data.panels.map(() => 12), 8, 10, ...data.criteria.map(() => 14), 10],
  }));

  const latest = latestPerSlotAndJudge(data.ledger);
  const marks = marksFor(data, live, latest);
  const versions = new Map<string, number>();
  for (const e of data.ledger) {
    const key = `${e.slotId}\u0000${e.judgeId}`;
    versions.set(key, (versions.get(key) ?? 0) + 1);
  }
  const slotOrder = new Map(data.slots.map((s, i) => [s.id, i]));
  const judges = new Map(data.judges.map((j) => [j.id, j]));
  const panels = new Map(data.panels.map((p) => [p.id, p.name]));
  const slots = new Map(data.slots.map((s) => [s.id, s]));
  const rawRows = latest
    .filter((e) => slots.has(e.slotId) && judges.has(e.judgeId))
    .sort(
      (a, b) =>
        slotOrder.get(a.slotId)! - slotOrder.get(b.slotId)! ||
        judges.get(a.judgeId)!.number - judges.get(b.judgeId)!.number,
    )
    .map((e) => {
      const slot = slots.get(e.slotId)!;
      const judge = judges.get(e.judgeId)!;
      return [
        trackNames.get(slot.track_id) ?? '',
        slot.position,
        data.units.get(slot.unit_id)?.name ?? slot.unit_id,
        t('results:judgeLabel', { number: judgeNumber(judge.number) }),
        panels.get(judge.panelId) ?? '',
        ...data.criteria.map((c) => e.values[c.id] ?? null),
        judgeTotal(e.values),
        t(`results:status.${marks.get(e) ?? 'counted'}`),
        versions.get(`${e.slotId}\u0000${e.judgeId}`) ?? 1,
        // A real date-time cell in China time (sortable, filterable), not ISO text in UTC.
        workbookDateTime(e.createdAt),
      ];
    });
  const rawSheet = {
    name: sheetName(t('results:sheets.raw')),
    headers: [
      t('results:columns.track'),
      t('results:columns.position'),
      t('results:columns.unit'),
      t('results:columns.judge'),
      t('results:columns.panel'),
      ...data.criteria.map(nameOf),
      t('results:columns.total'),
      t('results:columns.status'),
      t('results:columns.version'),
      t('results:columns.createdAt'),
    ],
    rows: rawRows,
    widths: [14, 8, 28, 10, 14, ...data.criteria.map(() => 12), 10, 14, 6, 20],
  };
  return { file: await writeWorkbook([...rankingSheets, rawSheet]), title: data.event.title };
}

// ---------- JSON (verifiable) ----------

/** The full event export (`domain/event-export.ts`): inputs, ledger, live and published results. */
export async function exportEventJson(ctx: Ctx, eventId: string): Promise<EventExport> {
  await requireExportReader(ctx, await findEvent(ctx.db, eventId), 'json');
  const data = await load(ctx, eventId);
  const e = data.event;
  const live = buildLiveResults(data, ctx.now);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: nowIso(ctx),
    event: {
      id: e.id,
      title: e.title,
      startDate: e.start_date,
      endDate: e.end_date,
      venue: e.venue,
      status: e.status,
      drawSeed: e.draw_seed,
      publishedAt: e.published_at,
    },
    settings: data.settings,
    tracks: data.tracks,
    units: [...data.units.values()],
    criteria: data.criteria,
    panels: data.panels,
    judges: data.judges.map((j) => ({
      id: j.id,
      number: j.number,
      panelId: j.panelId,
      affiliatedUnitIds: j.affiliatedUnitIds,
    })),
    slots: data.slots.map((s) => ({
      id: s.id,
      trackId: s.track_id,
      unitId: s.unit_id,
      position: Number(s.position),
      timeLimitSec: Number(s.time_limit_sec),
      overtimeSec: Number(s.overtime_sec),
      manualPenalty: Number(s.manual_penalty),
      state: s.state as EventExport['slots'][number]['state'],
    })),
    ledger: data.ledger,
    ledgerHead: live.ledgerHead,
    ledgerLength: live.ledgerLength,
    results: live,
    published: publishedSnapshot(e),
  };
}

// ---------- printable sheet ----------

export interface ResultsPrintData {
  event: { title: string; startDate: string; endDate: string; venue: string };
  results: ResultsView;
  panels: EventPanel[];
  /** Scores are printed with this many decimals (92.90, not 92.9), as the rule rounds them. */
  decimals: number;
}

/** What the A4 results sheet shows: the official figures of every track. */
export async function loadResultsPrint(ctx: Ctx, eventId: string): Promise<ResultsPrintData> {
  await requireExportReader(ctx, await findEvent(ctx.db, eventId), 'print');
  const data = await load(ctx, eventId);
  return {
    event: {
      title: data.event.title,
      startDate: data.event.start_date,
      endDate: data.event.end_date,
      venue: data.event.venue,
    },
    results: officialResults(data, ctx.now),
    panels: data.panels,
    decimals: data.settings.decimals,
  };
}

/** The leading columns of a ranking, in the spreadsheet and on the printed sheet alike. */
export function rankingColumns(t: (key: string) => string, panels: readonly { name: string }[]): string[] {
  return [
    t('results:columns.rank'),
    t('results:columns.unit'),
    t('results:columns.score'),
    ...panels.map((p) => p.name),
    t('results:columns.penalty'),
    t('results:columns.grade'),
  ];
}
