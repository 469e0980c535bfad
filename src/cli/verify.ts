// `shaipin verify FILE`: re-checks an event export without the server — the ledger hash chain, the
// stated head, and the published and live results recomputed with the scoring rule. Exit code 0 only
// when everything holds, so it can gate a script.
import { readFile } from 'node:fs/promises';
import type { TFunction } from 'i18next';
import {
  type ComparisonReport,
  type EventExport,
  parseExport,
  verifyExport,
} from '../modules/event/domain/event-export.ts';
import { type Locale, pickLocale } from '../platform/i18n/locales.ts';
import { translator } from '../platform/i18n/translator.ts';
import '../modules/event/locales/index.ts';

export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  return pickLocale(env.SHAIPIN_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

/** "panels.<id>.score" → "<panel name>.score", so a difference names what people know. */
function fieldLabel(file: EventExport, field: string): string {
  const [head, id, rest] = field.split('.');
  if (head === 'panels' && id) return `${file.panels.find((p) => p.id === id)?.name ?? id}.${rest ?? ''}`;
  if (head === 'criterionAverages' && id)
    return `${file.criteria.find((c) => c.id === id)?.nameZh ?? id}.average`;
  return field;
}

function comparisonLines(t: TFunction, file: EventExport, label: string, c: ComparisonReport): string[] {
  const lines: string[] = [];
  if (!c.anchored)
    lines.push(t('results:verify.notAnchored', { label, head: c.ledgerHead, length: c.ledgerLength }));
  if (c.computeError !== null) {
    lines.push(t('results:verify.computeFailed', { label, error: c.computeError }));
  } else if (c.differences.length > 0) {
    const d = c.differences[0]!;
    lines.push(
      t('results:verify.mismatch', {
        label,
        count: c.differences.length,
        unit: d.unitName,
        field: fieldLabel(file, d.field),
        expected: JSON.stringify(d.expected ?? null),
        found: JSON.stringify(d.found ?? null),
      }),
    );
  } else if (c.anchored) {
    lines.push(t('results:verify.match', { label, units: c.units }));
  }
  return lines;
}

/** Builds the human-readable report; `ok` decides the exit code. */
export function verifyReportText(file: EventExport, locale: Locale): { ok: boolean; lines: string[] } {
  const t = translator(locale);
  const report = verifyExport(file);
  const lines: string[] = [];
  const date =
    file.event.endDate && file.event.endDate !== file.event.startDate
      ? `${file.event.startDate} – ${file.event.endDate}`
      : file.event.startDate;
  lines.push(t('results:verify.event', { title: file.event.title, date }));
  if (report.chain.ok) {
    lines.push(t('results:verify.chainOk', { length: report.chain.length, head: report.chain.head }));
  } else {
    lines.push(
      t('results:verify.chainBroken', {
        seq: report.chain.seq,
        reason: t(`results:verify.reasons.${report.chain.reason}`),
      }),
    );
  }
  if (report.chain.ok && !report.head.ok) lines.push(t('results:verify.headMismatch', report.head));
  if (report.published === null) {
    lines.push(t('results:verify.notPublished'));
  } else {
    const label = t('results:verify.publishedLabel', { at: file.published?.publishedAt ?? '' });
    lines.push(...comparisonLines(t, file, label, report.published));
  }
  lines.push(...comparisonLines(t, file, t('results:verify.liveLabel'), report.live));
  lines.push(t(report.ok ? 'results:verify.ok' : 'results:verify.failed'));
  return { ok: report.ok, lines };
}

/** Runs `verify` with its arguments; returns the process exit code. */
export async function runVerify(args: readonly string[], locale: Locale = cliLocale()): Promise<number> {
  const t = translator(locale);
  const path = args[0];
  if (!path || args.length > 1) {
    console.error(t('results:verify.usage'));
    return 1;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    console.error(
      t('results:verify.readFailed', { file: path, error: e instanceof Error ? e.message : String(e) }),
    );
    return 1;
  }
  const parsed = parseExport(text);
  if (!parsed.ok) {
    console.error(t('results:verify.invalidFile', { error: parsed.error }));
    return 1;
  }
  const { ok, lines } = verifyReportText(parsed.file, locale);
  (ok ? console.log : console.error)(lines.join('\n'));
  return ok ? 0 : 1;
}
