// Change notifications between server processes. With SQLite one process is the supported setup,
// so an in-process emitter is enough; with PostgreSQL every process LISTENs on one channel and a
// change committed through any process reaches the WebSocket clients of all of them.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';

export type LiveTopic = 'progress' | 'slots' | 'timer' | 'screen' | 'results' | 'event';

/** Says what changed, never the data: receivers read the current state through the use cases. */
export interface LiveChange {
  eventId: string;
  topics: LiveTopic[];
}

export interface LiveBus {
  publish(change: LiveChange): void;
  subscribe(listener: (change: LiveChange) => void): () => void;
  close(): Promise<void>;
}

export function localBus(): LiveBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (change) => {
      // Deliver after the current call stack: publishers never run listeners inside their own work.
      queueMicrotask(() => emitter.emit('change', change));
    },
    subscribe: (listener) => {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    close: async () => {
      emitter.removeAllListeners();
    },
  };
}

const CHANNEL = 'shaipin_live';

/**
 * Changes published here reach this process's listeners at once (as on the local bus) and the other
 * processes through NOTIFY; this process ignores its own NOTIFY when it comes back. Under load the
 * NOTIFY waits for a pooled connection behind the submissions, so the local clients need not wait
 * for it.
 */
export function postgresBus(connectionString: string, pool: pg.Pool): LiveBus {
  const origin = randomUUID();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const { from, ...change } = JSON.parse(msg.payload) as LiveChange & { from?: string };
        if (from !== origin) emitter.emit('change', change);
      } catch {
        // A malformed payload is not ours; ignore it.
      }
    });
    const reconnect = () => {
      if (closed || retry) return;
      client = null;
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, 1000);
    };
    c.on('error', reconnect);
    c.on('end', reconnect);
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
      // Changes may have been missed while disconnected: tell everyone to refresh.
      emitter.emit('change', { eventId: '*', topics: ['event'] } satisfies LiveChange);
    } catch {
      reconnect();
    }
  };
  const ready = connect();

  return {
    publish: (change) => {
      queueMicrotask(() => emitter.emit('change', change));
      const payload = JSON.stringify({ ...change, from: origin });
      pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch(() => {
        // The listener reconnect path re-syncs everyone; a lost notify only delays an update.
      });
    },
    subscribe: (listener) => {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await ready.catch(() => undefined);
      emitter.removeAllListeners();
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('end');
        c.removeAllListeners('error');
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}
