// The bare baseline for phase b: Fastify + better-sqlite3 with the same pragmas as the real storage,
// inserting one row per POST and nothing else (no session, validation, ledger or audit).
// Usage: tsx bench/bare-server.ts FILE.db — prints {"port":N} once listening on 127.0.0.1.
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-server.ts FILE.db');
const sqlite = new SQLite(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('busy_timeout = 5000');
sqlite.exec(
  'CREATE TABLE IF NOT EXISTS scores (id INTEGER PRIMARY KEY, session TEXT, client_id TEXT, body TEXT NOT NULL, created_at TEXT NOT NULL)',
);
const insert = sqlite.prepare(
  'INSERT INTO scores (session, client_id, body, created_at) VALUES (?, ?, ?, ?)',
);

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ ok: true }));
app.post('/api/judge/scores', async (request) => {
  const body = request.body as { clientId?: string };
  insert.run(
    request.headers.cookie ?? null,
    body.clientId ?? null,
    JSON.stringify(body),
    new Date().toISOString(),
  );
  return { ok: true };
});

const stop = async (): Promise<void> => {
  await app.close();
  sqlite.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin: when it goes away, so do we.
process.stdin.on('end', stop).resume();

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
);
