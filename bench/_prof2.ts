import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { overview } from '../src/services/dashboard.ts';
import { cachingStatements } from '../src/storage/db.ts';

const file = process.argv[2]!;
const per = new Map<string, { n: number; ms: number }>();
let on = false;
const db = new Kysely<any>({
  dialect: new SqliteDialect({ database: cachingStatements(new SQLite(file)) }),
  log(e) {
    if (!on) return;
    const k = e.query.sql.slice(0, 140);
    const v = per.get(k) ?? { n: 0, ms: 0 };
    v.n++;
    v.ms += e.queryDurationMillis;
    per.set(k, v);
  },
});
const ctx: any = {
  db,
  dbKind: 'sqlite',
  actor: { kind: 'user', userId: 'x', role: 'organizer', unitId: null, name: 'x', mustChangePassword: false },
  now: new Date('2024-01-20T02:00:00Z'),
  publicUrl: 'http://x',
  locale: 'zh-CN',
};
await overview(ctx, { period: '2023-M06' });
on = true;
const t0 = performance.now();
for (let i = 0; i < 10; i++) await overview(ctx, { period: '2023-M06' });
console.log('per call', ((performance.now() - t0) / 10).toFixed(1));
for (const [k, v] of [...per].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
  console.log((v.ms / 10).toFixed(1).padStart(7), String(v.n / 10).padStart(5), k);
await db.destroy();
