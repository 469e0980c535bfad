// Child servers on loopback and a bounded-concurrency HTTP client, shared by both sides of phase b.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `tsx SCRIPT ARGS…` and waits (at most timeoutMs) for the {"port":N} line it prints. */
export async function startServer(script: string, args: string[], timeoutMs = 60_000): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, script), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code) => reject(new Error(`${script} exited early with code ${code}`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { port?: unknown };
        if (typeof parsed.port === 'number' && parsed.port > 0) {
          clearTimeout(timer);
          resolve(parsed.port);
        }
      } catch {
        // not our line
      }
    });
  }).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs fn over items with at most `concurrency` in flight; results keep the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

export interface Attempt {
  /** HTTP status, or 0 when no response came (network error, timeout). */
  status: number;
  ms: number;
  body: string;
}

export async function postJson(
  url: string,
  body: unknown,
  cookie: string | null,
  timeoutMs = 30_000,
): Promise<Attempt> {
  const start = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - start, body: text };
  } catch (e) {
    return { status: 0, ms: performance.now() - start, body: e instanceof Error ? e.message : String(e) };
  }
}

export interface BurstFigures {
  requests: number;
  concurrency: number;
  wallMs: number;
  acknowledged: number;
  /** Sent but never acknowledged with a 2xx. */
  unacknowledged: number;
  /** Status → count, for the unacknowledged ones. */
  failures: Record<string, number>;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  attempts: Attempt[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Fires one POST per request with bounded concurrency and measures acknowledgements. */
export async function burst(
  url: string,
  requests: readonly { body: unknown; cookie: string | null }[],
  concurrency: number,
): Promise<BurstFigures> {
  const start = performance.now();
  const attempts = await pool(requests, concurrency, (r) => postJson(url, r.body, r.cookie));
  const wallMs = performance.now() - start;
  const acked = attempts.filter((a) => a.status >= 200 && a.status < 300);
  const failures: Record<string, number> = {};
  for (const a of attempts) {
    if (a.status >= 200 && a.status < 300) continue;
    const key = a.status === 0 ? 'no response' : String(a.status);
    failures[key] = (failures[key] ?? 0) + 1;
  }
  const latencies = acked.map((a) => a.ms).sort((a, b) => a - b);
  return {
    requests: requests.length,
    concurrency,
    wallMs,
    acknowledged: acked.length,
    unacknowledged: requests.length - acked.length,
    failures,
    throughput: acked.length / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    attempts,
  };
}
