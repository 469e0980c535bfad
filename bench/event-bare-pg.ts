// The bare PostgreSQL baseline of `npm run bench:event`: Fastify + a pg pool of the real server's size,
// inserting one row per POST and nothing else (no session, validation, ledger or audit).
// Usage: tsx bench/event-bare-pg.ts POSTGRES_URL — prints {"port":N} once listening on 127.0.0.1.
import Fastify from 'fastify';
import pg from 'pg';

const url = process.argv[2];
if (!url) throw new Error('usage: event-bare-pg.ts POSTGRES_URL');
// The same pool size as src/storage/db.ts gives the real server.
const pool = new pg.Pool({ connectionString: url, max: 10 });
await pool.query(
  'CREATE TABLE IF NOT EXISTS scores (id BIGSERIAL PRIMARY KEY, session TEXT, client_id TEXT, body TEXT NOT NULL, created_at TEXT NOT NULL)',
);

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ ok: true }));
app.post('/api/judge/scores', async (request) => {
  const body = request.body as { clientId?: string };
  await pool.query('INSERT INTO scores (session, client_id, body, created_at) VALUES ($1, $2, $3, $4)', [
    request.headers.cookie ?? null,
    body.clientId ?? null,
    JSON.stringify(body),
    new Date().toISOString(),
  ]);
  return { ok: true };
});

const stop = async (): Promise<void> => {
  await app.close();
  await pool.end();
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
