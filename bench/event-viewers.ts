// The viewers of `npm run bench:event`, in their own process so that parsing thousands of snapshots
// does not stall the judges' load generator (and its latency figures). Driven by the parent over IPC:
//   connect → N sockets to /api/live, each waiting for its first snapshot
//   await   → until every socket saw the slot's progress reach a count; answers each socket's arrival
//   close   → closes them
//   bare    → N sockets to the bare `ws` server, R broadcasts, answers every delivery delay
// Every wait is bounded. Times are absolute (performance.timeOrigin + now), comparable across processes.
import { loadWs, type WsClient } from './event-ws.ts';

export type ViewerCommand =
  | { cmd: 'connect'; url: string; cookies: string[]; slotId: string; concurrency: number; timeoutMs: number }
  | { cmd: 'await'; target: number; timeoutMs: number }
  | { cmd: 'close' }
  | { cmd: 'bare'; url: string; count: number; rounds: number; timeoutMs: number };

export type ViewerReply =
  | { type: 'connected'; open: number; failed: number; failures: Record<string, number>; ms: number }
  | {
      type: 'awaited';
      /** Per socket: when its first snapshot with progress ≥ target arrived (null: never, in time). */
      arrivals: (number | null)[];
      /** Snapshots received per socket since connecting (median and max). */
      snapshotsMedian: number;
      snapshotsMax: number;
      /** Size of the last snapshot message, in bytes. */
      snapshotBytes: number;
      /** Sockets the server closed meanwhile. */
      closed: number;
    }
  | { type: 'closed' }
  | { type: 'bare'; delays: number[]; open: number; failed: number }
  | { type: 'error'; message: string };

const { WebSocket } = loadWs();
const now = (): number => performance.timeOrigin + performance.now();
const reply = (r: ViewerReply): void => {
  process.send?.(r);
};

interface Viewer {
  socket: WsClient;
  /** Progress count of the slot in the newest snapshot, -1 before the first. */
  scored: number;
  snapshots: number;
  /** Arrival time of each change of `scored`: [time, scored]. */
  changes: [number, number][];
  closed: boolean;
}

let viewers: Viewer[] = [];
let lastBytes = 0;

/** The slot's progress in a snapshot: the screen's current slot, or the host console's list. */
function scoredIn(message: unknown, slotId: string): number | null {
  const m = message as {
    type?: string;
    screen?: { current?: { slotId?: string; progress?: { scored?: number } } | null };
    host?: { progress?: { slotId?: string; scored?: number }[] };
  };
  if (m.type !== 'snapshot') return null;
  const current = m.screen?.current;
  if (current?.slotId === slotId && typeof current.progress?.scored === 'number')
    return current.progress.scored;
  const row = m.host?.progress?.find((p) => p.slotId === slotId);
  return typeof row?.scored === 'number' ? row.scored : null;
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function connect(c: Extract<ViewerCommand, { cmd: 'connect' }>): Promise<void> {
  const start = now();
  const failures: Record<string, number> = {};
  const fail = (why: string): void => {
    failures[why] = (failures[why] ?? 0) + 1;
  };
  viewers = [];
  await pool(c.cookies, c.concurrency, async (cookie) => {
    const socket = new WebSocket(c.url, {
      headers: { cookie },
      perMessageDeflate: false,
      handshakeTimeout: c.timeoutMs,
    });
    const v: Viewer = { socket, scored: -1, snapshots: 0, changes: [], closed: false };
    const first = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve('no snapshot in time'), c.timeoutMs);
      socket.on('message', (data) => {
        const at = now();
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        const scored = scoredIn(parsed, c.slotId);
        if (scored === null) return;
        v.snapshots++;
        lastBytes = data.length;
        if (scored !== v.scored) {
          v.scored = scored;
          v.changes.push([at, scored]);
        }
        clearTimeout(timer);
        resolve(null);
      });
      socket.on('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        resolve(`HTTP ${res.statusCode ?? '?'}`);
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        resolve(err.message.slice(0, 60));
      });
      socket.on('close', (code) => {
        v.closed = true;
        clearTimeout(timer);
        resolve(`closed ${code}`);
      });
    });
    if (first === null) viewers.push(v);
    else {
      fail(first);
      socket.terminate();
    }
  });
  reply({
    type: 'connected',
    open: viewers.length,
    failed: c.cookies.length - viewers.length,
    failures,
    ms: now() - start,
  });
}

async function awaitTarget(c: Extract<ViewerCommand, { cmd: 'await' }>): Promise<void> {
  const deadline = now() + c.timeoutMs;
  while (now() < deadline && viewers.some((v) => !v.closed && v.scored < c.target)) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const arrivals = viewers.map((v) => v.changes.find(([, s]) => s >= c.target)?.[0] ?? null);
  const counts = viewers.map((v) => v.snapshots).sort((a, b) => a - b);
  reply({
    type: 'awaited',
    arrivals,
    snapshotsMedian: counts[Math.floor(counts.length / 2)] ?? 0,
    snapshotsMax: counts.at(-1) ?? 0,
    snapshotBytes: lastBytes,
    closed: viewers.filter((v) => v.closed).length,
  });
}

async function closeAll(): Promise<void> {
  for (const v of viewers) v.socket.terminate();
  viewers = [];
  reply({ type: 'closed' });
}

async function bare(c: Extract<ViewerCommand, { cmd: 'bare' }>): Promise<void> {
  const sockets: WsClient[] = [];
  const received = new Map<number, number[]>();
  let failed = 0;
  await pool(
    Array.from({ length: c.count }, (_, i) => i),
    100,
    async () => {
      const socket = new WebSocket(`${c.url}/live`, {
        perMessageDeflate: false,
        handshakeTimeout: c.timeoutMs,
      });
      const ok = await new Promise<boolean>((resolve) => {
        socket.on('open', () => resolve(true));
        socket.on('error', () => resolve(false));
      });
      if (!ok) {
        failed++;
        return;
      }
      socket.on('message', (data) => {
        const at = now();
        const m = JSON.parse(data.toString('utf8')) as { round: number; t: number };
        const list = received.get(m.round) ?? [];
        list.push(at - m.t);
        received.set(m.round, list);
      });
      sockets.push(socket);
    },
  );
  const httpUrl = c.url.replace(/^ws/, 'http');
  for (let round = 1; round <= c.rounds; round++) {
    const res = await fetch(`${httpUrl}/broadcast?round=${round}`, {
      signal: AbortSignal.timeout(c.timeoutMs),
    });
    await res.arrayBuffer();
    const deadline = now() + c.timeoutMs;
    while (now() < deadline && (received.get(round)?.length ?? 0) < sockets.length) {
      await new Promise((r) => setTimeout(r, 10));
    }
    // Let the sockets settle between rounds, as between two score bursts.
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const s of sockets) s.terminate();
  reply({ type: 'bare', delays: [...received.values()].flat(), open: sockets.length, failed });
}

process.on('message', (message: ViewerCommand) => {
  const run = async (): Promise<void> => {
    switch (message.cmd) {
      case 'connect':
        return connect(message);
      case 'await':
        return awaitTarget(message);
      case 'close':
        return closeAll();
      case 'bare':
        return bare(message);
    }
  };
  run().catch((e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
});
// The parent's IPC channel is our lifeline: when it goes, so do we.
process.on('disconnect', () => process.exit(0));
