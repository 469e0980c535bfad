// Time-based rules (due soon, overdue, escalation) that must run once per cluster, not once per
// process: each run claims its (rule, window) row in the same transaction as its work. With several
// processes on PostgreSQL the second insert waits for the first transaction and then finds the row,
// so a window's work is done exactly once, or, if that transaction fails, not at all and retried at
// the next tick. On SQLite there is one process and transactions are serialized anyway.
import type { Kysely, Transaction } from 'kysely';
import type { Ctx } from './context.ts';
import type { DB } from './db/schema.ts';
import type { BackgroundDeps, BackgroundJob } from './module.ts';

/** Runs `work` in a transaction if no process has run `rule` for `windowKey` yet; true if it ran. */
export async function runOncePerCluster(
  db: Kysely<DB>,
  rule: string,
  windowKey: string,
  nowIso: string,
  work: (trx: Transaction<DB>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('scheduled_runs')
      .values({ rule, window_key: windowKey, ran_at: nowIso })
      .onConflict((oc) => oc.columns(['rule', 'window_key']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await work(trx);
    return true;
  });
}

/** A ticker: calls `tick` every `intervalMs` (never two at once); `stop` waits for the one under way. */
export function startTicker(intervalMs: number, tick: () => Promise<void>, onError: (e: unknown) => void) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = tick()
      .catch(onError)
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  timer = setTimeout(run, 0);
  return {
    /** Runs a tick soon (e.g. right after a message was queued) instead of waiting for the interval. */
    wake() {
      if (stopped || running) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * A module's background loop: `work` every `deps.intervalMs` with a context of the server's clock, its
 * address and no actor (the work is the system's, not a person's); failures are logged, the loop goes on.
 */
export function startBackgroundLoop(
  deps: BackgroundDeps,
  what: string,
  work: (ctx: Ctx) => Promise<unknown>,
): BackgroundJob {
  const ticker = startTicker(
    deps.intervalMs,
    async () => {
      await work({
        db: deps.db,
        dbKind: deps.dbKind,
        actor: { kind: 'anonymous' },
        now: deps.clock(),
        publicUrl: deps.publicUrl,
        locale: 'zh-CN',
      });
    },
    (e) => deps.logError(what, e),
  );
  return { stop: () => ticker.stop() };
}
