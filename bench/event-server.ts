// The real server for `npm run bench:event`: src/server/main.ts itself in a child process, configured
// only through its environment, exactly as an installation runs it (migrations, pool, bus, live hub).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './event-pg.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ShaipinProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts main.ts on a free loopback port and waits (bounded) until /api/health answers. */
export async function startShaipin(opts: {
  dataDir: string;
  databaseUrl?: string | undefined;
  timeoutMs?: number;
}): Promise<ShaipinProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SHAIPIN_DATA_DIR: opts.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG: '0',
    SHAIPIN_EMPTY: '1',
  };
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else delete env.DATABASE_URL;
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (and only it).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(root, 'src/server/main.ts')],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('server did not answer /api/health in time');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: child.pid ?? 0, stop };
}
