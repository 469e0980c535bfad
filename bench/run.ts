// `npm run bench`: a benchmark, not a test. Prints figures, each beside a bare baseline measured in the
// same run on the same machine, and their ratio — so the numbers mean something on any hardware.
//   a. results: computeResults (exact, trimmed, weighted, ranked) vs plain float means of the same data
//   b. a burst of judge submissions to one open slot over loopback HTTP: the real server in a child
//      process vs a bare Fastify + better-sqlite3 server doing one INSERT per POST
//   c. indicators at city scale (200 units × 1,000 indicators × 24 months = 4.8 M actuals, SQLite): the
//      overview and unit-page queries' p50/p95 and the import of a 10,000-row sheet, each beside bare SQL
//      (bench/indicators.ts; run it alone with `npx tsx bench/indicators.ts`, flags for smaller sizes)
//   d. a hall signs in: 300 judges from one address sign in with their invites, read their state and
//      submit once, as a burst and spread over 30 s, against src/server/main.ts with its default limits,
//      beside a bare Fastify + SQLite server (bench/hall-signin.ts; alone: `npx tsx bench/hall-signin.ts`).
//      The exit code is 1 if any of those sign-ins or submissions failed.
//   e. showcase reports: the whole event's deck (60 units × 6 slides, charts, photos) laid out and written
//      as one PPTX beside a bare pptxgenjs file of as many slides, and the preview's re-layout of one
//      report per edit beside a JSON round trip (bench/reports.ts; alone: `npx tsx bench/reports.ts`)
//   f. supervision: 10,000 tasks × 50 units — the inbox and dashboard p50/p95 beside bare SQL of the same
//      rows, and notification throughput to the local robot endpoint with its 20-a-minute limit, beside
//      bare signed POSTs (bench/supervision.ts; alone: `npx tsx bench/supervision.ts`)
import { cpus } from 'node:os';
import { benchApp, benchBare, type SideFigures } from './burst.ts';
import { printHallSignIn, runHallSignIn } from './hall-signin.ts';
import { printIndicatorBench, runIndicatorBench } from './indicators.ts';
import { printReportsBench, runReportsBench } from './reports.ts';
import { benchResults } from './results.ts';
import { printSupervisionBench, runSupervisionBench } from './supervision.ts';

const RESULTS = { units: 60, judges: 500, runs: 15, seed: 'bench-results' };
const JUDGES = 2000;
const SEED = 'bench-burst';

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : '—');
const ratio = (a: number, b: number): string =>
  b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '—';

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

console.log(
  `shaipin bench — Node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'})`,
);

// a. Results computation.
const a = benchResults(RESULTS);
table(
  `a. results: ${a.units} units × ${a.judges} judges × ${a.criteria} criteria (${a.scores.toLocaleString('en')} scores), median of ${a.runs} runs`,
  ['', 'first run', 'median', 'scores/s (median)'],
  [
    [
      'computeResults (exact)',
      ms(a.exactFirstMs),
      ms(a.exactMedianMs),
      Math.round(a.scores / (a.exactMedianMs / 1000)).toLocaleString('en'),
    ],
    [
      'bare float means',
      ms(a.bareFirstMs),
      ms(a.bareMedianMs),
      Math.round(a.scores / (a.bareMedianMs / 1000)).toLocaleString('en'),
    ],
    ['ratio exact / bare', ratio(a.exactFirstMs, a.bareFirstMs), ratio(a.exactMedianMs, a.bareMedianMs), ''],
  ],
);

// b. Submission burst. The baseline goes first so that neither side inherits a warmer page cache.
console.log(`\nb. burst: ${JUDGES} judge submissions to one open slot, 200 in flight, loopback HTTP …`);
const bare = await benchBare(JUDGES, SEED);
const app = await benchApp(JUDGES, SEED);
console.log(
  `   (not timed: ${JUDGES} judge sessions opened over HTTP in ${(app.sessionsMs / 1000).toFixed(1)} s)`,
);

const failures = (s: SideFigures): string =>
  Object.entries(s.burst.failures)
    .map(([k, v]) => `${v}×${k}`)
    .join(' ') || '0';
const row = (name: string, s: SideFigures): string[] => [
  name,
  Math.round(s.burst.throughput).toLocaleString('en'),
  ms(s.burst.p50Ms),
  ms(s.burst.p99Ms),
  ms(s.burst.maxMs),
  `${s.burst.acknowledged}/${s.burst.requests}`,
  String(s.store.lostAcknowledged),
  failures(s),
  String(s.store.duplicates),
];
table(
  'b. submission burst (acknowledged = 2xx after commit; lost = acknowledged but absent from the database afterwards)',
  ['', 'subm/s', 'p50', 'p99', 'max', 'acked', 'lost', 'unacked', 'dup'],
  [
    row('shaipin (real server)', app),
    row('bare Fastify + SQLite', bare),
    [
      'ratio shaipin / bare',
      ratio(app.burst.throughput, bare.burst.throughput),
      ratio(app.burst.p50Ms, bare.burst.p50Ms),
      ratio(app.burst.p99Ms, bare.burst.p99Ms),
      '',
      '',
      '',
      '',
      '',
    ],
  ],
);
if (app.store.storedUnacknowledged + bare.store.storedUnacknowledged > 0) {
  console.log(
    `stored but never acknowledged: shaipin ${app.store.storedUnacknowledged}, bare ${bare.store.storedUnacknowledged}`,
  );
}
console.log(
  `\nwall time of the burst: shaipin ${(app.burst.wallMs / 1000).toFixed(2)} s, bare ${(bare.burst.wallMs / 1000).toFixed(2)} s`,
);

// c. Indicators at city scale.
console.log('\nc. indicators: seeding 4.8 M actuals (about a minute) …');
printIndicatorBench(await runIndicatorBench({}));

// d. A hall signs in from one address, with the real server's default limits.
console.log(
  '\nd. hall sign-in: 300 judges from one address, a burst and then 30 s of steady arrivals (~1.5 min) …',
);
const hall = await runHallSignIn({});
printHallSignIn(hall);
if (!hall.ok) process.exitCode = 1;

// e. Showcase reports: the whole event's deck and the preview's re-layout.
printReportsBench(await runReportsBench());

// f. Supervision at city scale and notification throughput.
printSupervisionBench(await runSupervisionBench());
