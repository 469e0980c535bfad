// The judges of `npm run bench:event`: an open-loop load generator. Each request is due at its own
// instant, drawn uniformly from the window (as 10,000 people pressing "submit" independently), not
// when an earlier one returned; a bound on requests in flight keeps the client honest on 2 cores.
// Latency counts from the instant a request was due, so time spent queued behind the in-flight bound
// is charged to the system, not hidden (no coordinated omission). Keep-alive node:http, loopback only.
import { Agent, request } from 'node:http';
import { seededRandom } from '../src/demo/random.ts';
import { percentile } from './http.ts';

export interface LoadRequest {
  body: unknown;
  cookie: string | null;
}

export interface LoadAttempt {
  /** HTTP status, or 0 when no response came (connection error, timeout, not sent before the deadline). */
  status: number;
  /** Due time → response, ms. */
  ms: number;
  /** Sent → response, ms (what the server alone took, plus the wire). */
  serviceMs: number;
  /** Absolute time of the response (performance.timeOrigin + now). */
  at: number;
  body: string;
}

export interface LoadFigures {
  requests: number;
  windowMs: number;
  maxInFlight: number;
  /** First due instant → last response. */
  wallMs: number;
  acknowledged: number;
  failures: Record<string, number>;
  /** Acknowledged per second of wall time. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serviceP50Ms: number;
  serviceP99Ms: number;
  /** Most requests that waited for a free in-flight place at once. */
  maxQueued: number;
  /** Absolute time the last acknowledgement arrived. */
  lastAckAt: number;
  attempts: LoadAttempt[];
}

/** Keep-alive connections, at most one per request in flight. */
export function keepAliveAgent(maxInFlight: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: maxInFlight, maxFreeSockets: maxInFlight });
}

const isAck = (status: number): boolean => status >= 200 && status < 300;

function post(
  agent: Agent,
  url: URL,
  r: LoadRequest,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(r.body);
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(r.cookie ? { cookie: r.cookie } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (e) => resolve({ status: 0, body: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.end(payload);
  });
}

/**
 * Sends every request at its due instant (uniform in [0, windowMs), seeded), at most maxInFlight at
 * once. Bounded: each request times out after requestTimeoutMs, and whatever was not sent by
 * windowMs + deadlineMs is abandoned (counted as never acknowledged).
 */
export async function openLoop(
  url: string,
  requests: readonly LoadRequest[],
  opts: {
    windowMs: number;
    maxInFlight: number;
    seed: string;
    requestTimeoutMs?: number;
    deadlineMs?: number;
    /** Reuse the connections of a warm-up (the caller destroys it); else a fresh one for this run. */
    agent?: Agent;
  },
): Promise<LoadFigures> {
  const target = new URL(url);
  const agent = opts.agent ?? keepAliveAgent(opts.maxInFlight);
  const random = seededRandom(opts.seed);
  const due = requests.map(() => random.next() * opts.windowMs);
  const order = requests.map((_, i) => i).sort((a, b) => due[a]! - due[b]!);
  const attempts = new Array<LoadAttempt>(requests.length);
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const giveUpAt = opts.windowMs + (opts.deadlineMs ?? 60_000);

  const t0 = performance.now();
  let nextDue = 0; // index into order
  const queue: number[] = [];
  let inFlight = 0;
  let maxQueued = 0;
  let done = 0;
  let lastAckAt = 0;
  let lastResponse = t0;

  await new Promise<void>((resolveAll) => {
    const finish = (): void => {
      if (done === requests.length) resolveAll();
    };
    const send = (i: number): void => {
      inFlight++;
      const sentAt = performance.now();
      void post(agent, target, requests[i]!, requestTimeoutMs).then(({ status, body }) => {
        const end = performance.now();
        lastResponse = end;
        const at = performance.timeOrigin + end;
        if (isAck(status)) lastAckAt = Math.max(lastAckAt, at);
        attempts[i] = { status, ms: end - (t0 + due[i]!), serviceMs: end - sentAt, at, body };
        inFlight--;
        done++;
        pump();
        finish();
      });
    };
    const pump = (): void => {
      const elapsed = performance.now() - t0;
      while (nextDue < order.length && due[order[nextDue]!]! <= elapsed) queue.push(order[nextDue++]!);
      maxQueued = Math.max(maxQueued, queue.length);
      if (elapsed > giveUpAt) {
        // Past the deadline: what never left the queue is never acknowledged.
        for (const i of queue.splice(0)) {
          attempts[i] = {
            status: 0,
            ms: elapsed - due[i]!,
            serviceMs: 0,
            at: 0,
            body: 'not sent before the deadline',
          };
          done++;
        }
        finish();
        return;
      }
      while (inFlight < opts.maxInFlight && queue.length > 0) send(queue.shift()!);
    };
    const tick = (): void => {
      pump();
      if (nextDue < order.length) {
        const wait = Math.max(0, due[order[nextDue]!]! - (performance.now() - t0));
        setTimeout(tick, Math.min(wait, 1));
      } else if (queue.length > 0) {
        setTimeout(tick, 10);
      }
    };
    tick();
  });
  if (!opts.agent) agent.destroy();

  const acked = attempts.filter((a) => isAck(a.status));
  const failures: Record<string, number> = {};
  for (const a of attempts) {
    if (isAck(a.status)) continue;
    const key = a.status === 0 ? 'no response' : String(a.status);
    failures[key] = (failures[key] ?? 0) + 1;
  }
  const latencies = acked.map((a) => a.ms).sort((a, b) => a - b);
  const service = acked.map((a) => a.serviceMs).sort((a, b) => a - b);
  const wallMs = lastResponse - t0;
  return {
    requests: requests.length,
    windowMs: opts.windowMs,
    maxInFlight: opts.maxInFlight,
    wallMs,
    acknowledged: acked.length,
    failures,
    throughput: acked.length / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    serviceP50Ms: percentile(service, 50),
    serviceP99Ms: percentile(service, 99),
    maxQueued,
    lastAckAt,
    attempts,
  };
}
