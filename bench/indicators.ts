// Indicators at city scale on SQLite: 200 units × 1,000 indicators × 24 monthly periods (4.8 M actuals).
//
// The 24 periods are two years of months (2022-M01 … 2023-M12). Indicators belong to a year, so each unit
// has its 1,000 indicators once per year (400,000 indicator rows), each with its 12 monthly actuals:
// 200 × 1,000 × 24 = 4.8 M actuals, and a view of one 2023 month covers 200,000 indicators.
//
// Measured, each beside a bare baseline on the same database in the same run:
//   overview   GET /api/dashboard/overview?period=2023-M06 (app.inject: routing, session, service, Zod
//              response) vs one bare SQL statement counting that period's actuals by status
//   unit page  GET /api/dashboard/units/:id?period=2023-M06 vs one bare SQL statement reading the
//              unit's 1,000 indicators with their actuals
//   import     importActuals of a 10,000-row sheet (parse, validate every row, apply in batches, a
//              revision per row) vs the same writes as bare SQL in one transaction (no parsing)
//
// Seeding goes around the product on purpose: prepared inserts through better-sqlite3 directly, one big
// transaction, rollback journal and synchronous=OFF while loading (the file is thrown away anyway), WAL
// and synchronous=FULL again before anything is measured. No revisions are seeded (they are not read by
// the dashboards). The schema comes from the real migrations.
//
//   tsx bench/indicators.ts [--units=200] [--per-unit=1000] [--years=2] [--runs=30] [--import-rows=10000]
//                           [--keep]            (keep the database file and print its path)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { seededRandom } from '../src/demo/random.ts';
import { hashPassword } from '../src/modules/accounts/passwords.ts';
import { periodsOfYear } from '../src/modules/indicators/domain/periods.ts';
import { importActuals } from '../src/modules/indicators/excel/import-actuals.ts';
import type { Ctx } from '../src/platform/context.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { SESSION_COOKIE } from '../src/platform/http/app.ts';
import { buildApp } from '../src/server/app.ts';
import { migrateToLatest } from '../src/server/migrations.ts';
import { rows } from '../test/support/factory.ts';

export interface IndicatorBenchOptions {
  units?: number;
  indicatorsPerUnit?: number;
  /** Years of monthly periods, ending with 2023. */
  years?: number;
  /** Timed runs of each query (after 2 warm-up runs). */
  runs?: number;
  importRows?: number;
  /** Keep the database file instead of deleting it. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface Timing {
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  runs: number;
}

export interface IndicatorBenchFigures {
  units: number;
  indicatorsPerUnit: number;
  periods: number;
  indicators: number;
  actuals: number;
  rankings: number;
  seedMs: number;
  dbBytes: number;
  period: string;
  overview: Timing;
  /** Plain SELECT COUNT(*) of the period's actuals (an index-only scan). */
  overviewBare: Timing;
  /** The period's actuals joined to their indicators of the year, counted by status. */
  overviewJoin: Timing;
  unitPage: Timing;
  unitPageBare: Timing;
  importRows: number;
  importMs: number;
  reimportMs: number;
  parseOnlyMs: number;
  importBareMs: number;
  importApplied: number;
  reimportUnchanged: number;
  file: string | null;
}

const YEAR = 2023;
const VIEW_PERIOD = '2023-M06';
const IMPORT_PERIOD = '2023-M12';
const BARE_IMPORT_PERIOD = '2023-M11';
const NOW = new Date('2024-01-20T02:00:00.000Z');
const STAMP = '2024-01-05T00:00:00.000Z';
const PASSWORD = 'Bench-Password-42';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

async function time(runs: number, fn: (i: number) => Promise<unknown> | unknown): Promise<Timing> {
  let t0 = performance.now();
  await fn(0);
  const firstMs = performance.now() - t0;
  await fn(1);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    await fn(i + 2);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { firstMs, p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95), runs };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const unitId = (u: number): string => `u${pad(u, 4)}`;
const unitCode = (u: number): string => `U${pad(u, 4)}`;
const indicatorId = (year: number, u: number, k: number): string => `i${year}-${pad(u, 4)}-${pad(k, 5)}`;
const indicatorCode = (year: number, u: number, k: number): string => `${unitCode(u)}-${year}-${pad(k, 5)}`;

/** Loads the whole data set with prepared statements in one transaction. */
function seed(
  file: string,
  o: { units: number; perUnit: number; years: number[] },
): { indicators: number; actuals: number; rankings: number } {
  const db = new SQLite(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  const random = seededRandom('bench-indicators');
  let indicators = 0;
  let actuals = 0;
  let rankings = 0;
  db.transaction(() => {
    const insUnit = db.prepare(
      `INSERT INTO units (id, code, name, short_name, kind, track_id, sort, created_at)
       VALUES (?, ?, ?, ?, 'town', NULL, ?, ?)`,
    );
    for (let u = 0; u < o.units; u++) insUnit.run(unitId(u), unitCode(u), `单位 ${u}`, `单位${u}`, u, STAMP);

    const insNode = db.prepare(
      `INSERT INTO framework_nodes (id, parent_id, code, name, kind, sort, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const tasks: string[] = [];
    for (let p = 0; p < 5; p++) {
      insNode.run(`p${p}`, null, `P${p}`, `路径 ${p}`, 'program', p, STAMP);
      for (let t = 0; t < 4; t++) {
        const id = `t${p}${t}`;
        insNode.run(id, `p${p}`, `T${p}${t}`, `工程 ${p}.${t}`, 'task', t, STAMP);
        tasks.push(id);
      }
    }

    const insPeriod = db.prepare(
      `INSERT INTO periods (key, year, kind, idx, start_date, end_date, due_date, grace_days, locked)
       VALUES (?, ?, 'month', ?, ?, ?, ?, ?, 0)`,
    );
    for (const year of o.years) {
      for (const p of periodsOfYear(year, 'monthly')) {
        insPeriod.run(p.key, year, p.index, p.startDate, p.endDate, p.dueDate, p.graceDays);
      }
    }

    const insIndicator = db.prepare(
      `INSERT INTO indicators (id, node_id, code, name, measure, direction, kind, year, baseline, target,
         tier_floor, tier_stretch, unit_id, frequency, plan, weight, light_source, sort, created_at, updated_at)
       VALUES (?, ?, ?, ?, '个', ?, 'cumulative', ?, ?, ?, NULL, NULL, ?, 'monthly', ?, 1, 'completion', ?, ?, ?)`,
    );
    const insActual = db.prepare(
      `INSERT INTO actuals (id, indicator_id, period_key, value, note, status, return_reason, version,
         submitted_at, verified_at, updated_by, updated_at)
       VALUES (?, ?, ?, ?, '', ?, ?, 1, ?, ?, 'seed', ?)`,
    );
    const insRanking = db.prepare(
      `INSERT INTO rankings (id, indicator_id, unit_id, scope, period_key, rank, out_of, source, published_on, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', NULL, ?)`,
    );
    const linear = '{"kind":"linear"}';
    for (const year of o.years) {
      const keys = periodsOfYear(year, 'monthly').map((p) => p.key);
      for (let u = 0; u < o.units; u++) {
        for (let k = 0; k < o.perUnit; k++) {
          const id = indicatorId(year, u, k);
          const lower = k % 10 === 9;
          const baseline = lower ? 100 : 0;
          const target = lower ? 50 : 1000;
          // One in ten follows a seasonal plan: slow first half, fast second half.
          const phased = k % 10 === 3;
          const plan = phased
            ? JSON.stringify({
                kind: 'phased',
                expected: Object.fromEntries(
                  keys.map((key, m) => [key, baseline + (target - baseline) * ((m + 1) / 12) ** 1.5]),
                ),
              })
            : linear;
          insIndicator.run(
            id,
            tasks[k % tasks.length],
            indicatorCode(year, u, k),
            `指标 ${k}`,
            lower ? 'lower' : 'higher',
            year,
            baseline,
            target,
            unitId(u),
            plan,
            k,
            STAMP,
            STAMP,
          );
          indicators++;
          // Pace against the plan: most units around it, some ahead, some clearly behind.
          const pace = 0.55 + 0.7 * random.next();
          keys.forEach((key, m) => {
            const share = Math.min(1.3, ((m + 1) / 12) * pace * (0.97 + 0.06 * random.next()));
            const value = Math.round((baseline + (target - baseline) * share) * 100) / 100;
            const r = random.next();
            const status = r < 0.02 ? 'draft' : r < 0.03 ? 'returned' : m < 9 ? 'verified' : 'submitted';
            insActual.run(
              `a${(actuals++).toString(36).padStart(7, '0')}`,
              id,
              key,
              value,
              status,
              status === 'returned' ? '数据口径不符' : null,
              status === 'draft' ? null : STAMP,
              status === 'verified' ? STAMP : null,
              STAMP,
            );
          });
          // External rankings of the first five indicators of each unit, every period.
          if (k < 5) {
            for (const key of keys) {
              insRanking.run(`r${rankings++}`, id, null, '全省', key, 1 + random.int(90), 90, STAMP);
            }
          }
        }
        for (const key of keys) {
          insRanking.run(
            `r${rankings++}`,
            null,
            unitId(u),
            '金华',
            key,
            1 + random.int(o.units),
            o.units,
            STAMP,
          );
        }
      }
    }
  })();
  db.pragma('journal_mode = WAL');
  db.close();
  return { indicators, actuals, rankings };
}

async function buildImportSheet(raw: SQLite.Database, rows: number, periodKey: string): Promise<Buffer> {
  const stored = raw
    .prepare(
      `SELECT i.code AS code, a.value AS value FROM indicators i
       JOIN actuals a ON a.indicator_id = i.id AND a.period_key = ?
       WHERE i.year = ? ORDER BY i.code LIMIT ?`,
    )
    .all(periodKey, YEAR, rows) as { code: string; value: number }[];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('指标填报');
  ws.addRow(['指标编码', '本期实际', '说明']);
  // Every value differs from the stored one, so every row is applied (an update and a revision).
  for (const r of stored) ws.addRow([r.code, r.value + 1, '年终复核']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function runIndicatorBench(opts: IndicatorBenchOptions = {}): Promise<IndicatorBenchFigures> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const units = opts.units ?? 200;
  const perUnit = opts.indicatorsPerUnit ?? 1000;
  const years = Array.from({ length: opts.years ?? 2 }, (_, i) => YEAR - (opts.years ?? 2) + 1 + i);
  const runs = opts.runs ?? 30;
  const importRows = Math.min(opts.importRows ?? 10_000, units * perUnit);
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-bench-indicators-'));
  const file = join(dir, 'bench.db');

  try {
    const schema = openDatabase({ sqliteFile: file });
    await migrateToLatest(schema.db);
    await schema.close();

    log(`   seeding ${units} units × ${perUnit} indicators × ${years.length * 12} months into ${file} …`);
    const t0 = performance.now();
    const counts = seed(file, { units, perUnit, years });
    const seedMs = performance.now() - t0;
    log(
      `   seeded ${counts.actuals.toLocaleString('en')} actuals, ${counts.indicators.toLocaleString('en')} indicators, ` +
        `${counts.rankings.toLocaleString('en')} rankings in ${(seedMs / 1000).toFixed(1)} s`,
    );

    const database = openDatabase({ sqliteFile: file });
    const organizerId = 'bench-organizer';
    await database.db
      .insertInto('users')
      .values(
        rows.user({
          id: organizerId,
          username: 'bench-organizer',
          display_name: '考核办',
          password_hash: await hashPassword(PASSWORD),
          role: 'organizer',
          created_at: STAMP,
        }),
      )
      .execute();
    const app = await buildApp({ database, clock: () => NOW, logger: false, loginRateLimit: 10_000 });
    await app.ready();
    // A second, bare connection for the baselines (WAL: readers and the app's writer coexist).
    const raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'bench-organizer', password: PASSWORD },
      });
      const session = login.cookies.find((c) => c.name === SESSION_COOKIE);
      if (login.statusCode !== 200 || !session) throw new Error(`bench login failed: ${login.body}`);
      const cookie = `${SESSION_COOKIE}=${session.value}`;
      const get = async (url: string): Promise<void> => {
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      };

      log(`   timing the overview of ${VIEW_PERIOD} (${runs} runs) …`);
      const overview = await time(runs, () => get(`/api/dashboard/overview?period=${VIEW_PERIOD}`));
      const countPeriod = raw.prepare('SELECT COUNT(*) AS n FROM actuals WHERE period_key = ?');
      const overviewBare = await time(runs, () => countPeriod.get(VIEW_PERIOD));
      const countByStatus = raw.prepare(
        `SELECT a.status, COUNT(*) AS n FROM actuals a JOIN indicators i ON i.id = a.indicator_id
         WHERE a.period_key = ? AND i.year = ? GROUP BY a.status`,
      );
      const overviewJoin = await time(runs, () => countByStatus.all(VIEW_PERIOD, YEAR));

      log(`   timing the unit page (${runs} runs, a different unit each run) …`);
      const unitPage = await time(runs, (i) =>
        get(`/api/dashboard/units/${unitId((i * 37) % units)}?period=${VIEW_PERIOD}`),
      );
      const unitRows = raw.prepare(
        `SELECT i.id, i.code, i.name, i.baseline, i.target, i.plan, a.value, a.status FROM indicators i
         LEFT JOIN actuals a ON a.indicator_id = i.id AND a.period_key = ?
         WHERE i.unit_id = ? AND i.year = ? ORDER BY i.sort`,
      );
      const unitPageBare = await time(runs, (i) => unitRows.all(VIEW_PERIOD, unitId((i * 37) % units), YEAR));

      log(`   importing a ${importRows.toLocaleString('en')}-row sheet …`);
      const sheet = await buildImportSheet(raw, importRows, IMPORT_PERIOD);
      let t1 = performance.now();
      await new ExcelJS.Workbook().xlsx.load(sheet as unknown as ArrayBuffer);
      const parseOnlyMs = performance.now() - t1;
      const ctx: Ctx = {
        db: database.db,
        dbKind: 'sqlite',
        actor: {
          kind: 'user',
          userId: organizerId,
          name: '考核办',
          role: 'organizer',
          unitId: null,
          mustChangePassword: false,
        },
        now: NOW,
        publicUrl: '',
        locale: 'zh-CN',
      };
      t1 = performance.now();
      const first = await importActuals(ctx, sheet, { periodKey: IMPORT_PERIOD });
      const importMs = performance.now() - t1;
      if (first.rejected > 0)
        throw new Error(`bench import rejected rows: ${JSON.stringify(first.errors[0])}`);
      t1 = performance.now();
      const again = await importActuals(ctx, sheet, { periodKey: IMPORT_PERIOD });
      const reimportMs = performance.now() - t1;

      // Bare: the same writes per row (update the actual, insert a revision), one transaction, no file.
      const targets = raw
        .prepare(
          `SELECT a.id AS id, a.value AS value, a.version AS version FROM actuals a
           JOIN indicators i ON i.id = a.indicator_id WHERE a.period_key = ? AND i.year = ? ORDER BY i.code LIMIT ?`,
        )
        .all(BARE_IMPORT_PERIOD, YEAR, importRows) as { id: string; value: number; version: number }[];
      const upd = raw.prepare(
        `UPDATE actuals SET value = ?, note = ?, status = 'submitted', version = ?, submitted_at = ?, verified_at = NULL,
           updated_by = ?, updated_at = ? WHERE id = ?`,
      );
      const rev = raw.prepare(
        `INSERT INTO actual_revisions (id, actual_id, version, value, note, status, reason, actor_id, actor_name, created_at)
         VALUES (?, ?, ?, ?, ?, 'submitted', NULL, ?, ?, ?)`,
      );
      t1 = performance.now();
      raw.transaction(() => {
        targets.forEach((a, i) => {
          upd.run(a.value + 1, '年终复核', a.version + 1, STAMP, organizerId, STAMP, a.id);
          rev.run(`bare${i}`, a.id, a.version + 1, a.value + 1, '年终复核', organizerId, '考核办', STAMP);
        });
      })();
      const importBareMs = performance.now() - t1;

      return {
        units,
        indicatorsPerUnit: perUnit,
        periods: years.length * 12,
        indicators: counts.indicators,
        actuals: counts.actuals,
        rankings: counts.rankings,
        seedMs,
        dbBytes: statSync(file).size,
        period: VIEW_PERIOD,
        overview,
        overviewBare,
        overviewJoin,
        unitPage,
        unitPageBare,
        importRows: first.applied + first.unchanged,
        importMs,
        reimportMs,
        parseOnlyMs,
        importBareMs,
        importApplied: first.applied,
        reimportUnchanged: again.unchanged,
        file: opts.keep ? file : null,
      };
    } finally {
      raw.close();
      await app.close();
      await database.close();
    }
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- printing ----------

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—');
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '—';
const perSec = (rows: number, msValue: number): number =>
  msValue > 0 ? rows / (msValue / 1000) : Number.NaN;
const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '—');

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export const indicatorGoals = { p95Ms: 200, importRowsPerSec: 2000 } as const;

export function printIndicatorBench(f: IndicatorBenchFigures): void {
  const goal = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  table(
    `c. indicators: ${f.units} units × ${f.indicatorsPerUnit} indicators × ${f.periods} months ` +
      `(${f.actuals.toLocaleString('en')} actuals, ${f.indicators.toLocaleString('en')} indicators, ` +
      `${f.rankings.toLocaleString('en')} rankings; seeded in ${(f.seedMs / 1000).toFixed(1)} s, ` +
      `${(f.dbBytes / 1024 / 1024).toFixed(0)} MB), period ${f.period}, ${f.overview.runs} runs`,
    ['', 'first', 'p50', 'p95', `goal p95 < ${indicatorGoals.p95Ms} ms`],
    [
      [
        'overview (HTTP, app.inject)',
        ms(f.overview.firstMs),
        ms(f.overview.p50Ms),
        ms(f.overview.p95Ms),
        goal(f.overview.p95Ms < indicatorGoals.p95Ms),
      ],
      [
        'bare COUNT(*) of the period',
        ms(f.overviewBare.firstMs),
        ms(f.overviewBare.p50Ms),
        ms(f.overviewBare.p95Ms),
        '',
      ],
      [
        'ratio overview / bare',
        '',
        ratio(f.overview.p50Ms, f.overviewBare.p50Ms),
        ratio(f.overview.p95Ms, f.overviewBare.p95Ms),
        '',
      ],
      [
        'bare join to indicators, by status',
        ms(f.overviewJoin.firstMs),
        ms(f.overviewJoin.p50Ms),
        ms(f.overviewJoin.p95Ms),
        '',
      ],
      [
        'ratio overview / bare join',
        '',
        ratio(f.overview.p50Ms, f.overviewJoin.p50Ms),
        ratio(f.overview.p95Ms, f.overviewJoin.p95Ms),
        '',
      ],
      [
        'unit page (HTTP, app.inject)',
        ms(f.unitPage.firstMs),
        ms(f.unitPage.p50Ms),
        ms(f.unitPage.p95Ms),
        goal(f.unitPage.p95Ms < indicatorGoals.p95Ms),
      ],
      [
        'bare SELECT of the unit',
        ms(f.unitPageBare.firstMs),
        ms(f.unitPageBare.p50Ms),
        ms(f.unitPageBare.p95Ms),
        '',
      ],
      [
        'ratio unit page / bare',
        '',
        ratio(f.unitPage.p50Ms, f.unitPageBare.p50Ms),
        ratio(f.unitPage.p95Ms, f.unitPageBare.p95Ms),
        '',
      ],
    ],
  );
  const importRate = perSec(f.importRows, f.importMs);
  table(
    `c. import of a ${f.importRows.toLocaleString('en')}-row sheet (${f.importApplied.toLocaleString('en')} applied: an update and a revision each)`,
    ['', 'time', 'rows/s', `goal ≥ ${indicatorGoals.importRowsPerSec.toLocaleString('en')} rows/s`],
    [
      [
        'importActuals (parse, validate, apply)',
        ms(f.importMs),
        int(importRate),
        goal(importRate >= indicatorGoals.importRowsPerSec),
      ],
      ['  of which: exceljs parse alone', ms(f.parseOnlyMs), int(perSec(f.importRows, f.parseOnlyMs)), ''],
      [
        `re-import, same file (${f.reimportUnchanged.toLocaleString('en')} unchanged)`,
        ms(f.reimportMs),
        int(perSec(f.importRows, f.reimportMs)),
        '',
      ],
      [
        'bare SQL: same writes, one transaction',
        ms(f.importBareMs),
        int(perSec(f.importRows, f.importBareMs)),
        '',
      ],
      ['ratio import / bare (time)', ratio(f.importMs, f.importBareMs), '', ''],
    ],
  );
  if (f.file) console.log(`\ndatabase kept: ${f.file}`);
}

function flag(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit === undefined) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
}

const numberFlag = (name: string): number | undefined => {
  const v = flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(
    `shaipin indicator bench — Node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'})`,
  );
  const figures = await runIndicatorBench({
    units: numberFlag('units'),
    indicatorsPerUnit: numberFlag('per-unit'),
    years: numberFlag('years'),
    runs: numberFlag('runs'),
    importRows: numberFlag('import-rows'),
    keep: flag('keep') === 'true',
  });
  printIndicatorBench(figures);
}
