// `npm run demo:simulate [-- --seed S] [--event ID]`: runs the demo event's pending agenda with
// simulated judges through the real use cases (see src/demo/simulate.ts). Opens the database exactly
// as the server does, so it can run beside a server on the same SQLite file (WAL, busy timeout).
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findDemoEventId, seedDemo } from '../demo/seed.ts';
import { simulateEvent } from '../demo/simulate.ts';
import { openDatabase } from '../platform/db/database.ts';
import { loadLinkKey } from '../platform/link-tokens.ts';
import { migrateToLatest } from '../server/migrations.ts';

const usage = `usage: shaipin simulate [--seed SEED] [--event EVENT_ID]

Opens each pending slot of the event (default: the demo event), submits a score for every eligible
judge, and closes the slot. The same seed gives the same scores. Seeds the demo into an empty database.
Database: DATABASE_URL, else SHAIPIN_DATA_DIR/shaipin.db (default ./data/shaipin.db).`;

export async function runSimulate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string' },
      event: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const seed = values.seed ?? String(randomInt(1, 1_000_000));
  const env = process.env;
  const dataDir = env.SHAIPIN_DATA_DIR ?? join(process.cwd(), 'data');
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, sqliteFile: join(dataDir, 'shaipin.db') });
  try {
    await migrateToLatest(database.db);
    const empty = !(await database.db.selectFrom('users').select('id').limit(1).executeTakeFirst());
    if (empty) {
      await seedDemo(
        database,
        loadLinkKey({ secret: env.SHAIPIN_LINK_SECRET, file: join(dataDir, 'link.key') }),
      );
      console.log('Empty database: demo data loaded.');
    }
    const eventId = values.event ?? (await findDemoEventId(database.db));
    if (!eventId) {
      throw new Error('No demo event in this database: pass --event EVENT_ID.');
    }
    console.log(`Simulating event ${eventId} with seed ${seed} (${database.kind})`);
    const summary = await simulateEvent(database, {
      eventId,
      seed,
      onSlot: (r) => {
        const overtime = r.overtimeSec > 0 ? `, overtime ${r.overtimeSec} s` : '';
        console.log(
          `  ${String(r.index).padStart(2)}/${r.total} ${r.unitName}: ${r.submitted} of ${r.eligible} judges${overtime}`,
        );
      },
    });
    if (summary.slots === 0) {
      console.log('Nothing to do: every slot of this event is closed.');
    } else {
      const perSecond = summary.submissions / (summary.ms / 1000);
      console.log(
        `Done: ${summary.slots} slots, ${summary.submissions} submissions (${summary.recusals} recusals skipped), ` +
          `${summary.overtimes} overtimes, ${(summary.ms / 1000).toFixed(1)} s (${perSecond.toFixed(0)} submissions/s). ` +
          `Replay with --seed ${seed}.`,
      );
    }
  } finally {
    await database.close();
  }
}
