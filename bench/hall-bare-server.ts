// The bare baseline for phase d (bench/hall-signin.ts): Fastify + better-sqlite3 with the same pragmas as
// the real storage, answering the three requests of a judge's phone with one statement each and nothing
// else — no invite lookup, validation, rate limit, ledger or audit:
//   POST /api/judge/session   one INSERT of a session row, sets a random sp_session cookie
//   GET  /api/judge/state     one SELECT of that session row, then the fixed STATE_JSON (the rubric and
//                             the open slot, so the client builds the same values as for the real server)
//   POST /api/judge/scores    one INSERT of the body
// Usage: tsx bench/hall-bare-server.ts FILE.db STATE_JSON — prints {"port":N} once listening on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.argv[2];
const stateJson = process.argv[3];
if (!file || !stateJson) throw new Error('usage: hall-bare-server.ts FILE.db STATE_JSON');
const state = JSON.parse(stateJson) as unknown;
const sqlite = new SQLite(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('busy_timeout = 5000');
sqlite.exec(`
  CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, invite TEXT, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS scores (id INTEGER PRIMARY KEY, session TEXT, client_id TEXT, body TEXT NOT NULL, created_at TEXT NOT NULL);
`);
const insertSession = sqlite.prepare('INSERT INTO sessions (id, invite, created_at) VALUES (?, ?, ?)');
const selectSession = sqlite.prepare('SELECT id FROM sessions WHERE id = ?');
const insertScore = sqlite.prepare(
  'INSERT INTO scores (session, client_id, body, created_at) VALUES (?, ?, ?, ?)',
);

const sessionOf = (cookie: string | undefined): string | null =>
  /(?:^|;\s*)sp_session=([^;]+)/.exec(cookie ?? '')?.[1] ?? null;

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ ok: true }));
app.post('/api/judge/session', async (request, reply) => {
  const body = request.body as { token?: string };
  const token = randomBytes(32).toString('base64url');
  insertSession.run(token, body.token ?? null, new Date().toISOString());
  reply.header('set-cookie', `sp_session=${token}; Path=/; HttpOnly; SameSite=Lax`);
  return { judgeId: 'bare', eventId: 'bare' };
});
app.get('/api/judge/state', async (request, reply) => {
  const id = sessionOf(request.headers.cookie);
  if (!id || !selectSession.get(id)) return reply.code(401).send({ error: 'no session' });
  return state;
});
app.post('/api/judge/scores', async (request) => {
  const body = request.body as { clientId?: string };
  insertScore.run(
    sessionOf(request.headers.cookie),
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
