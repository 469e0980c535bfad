// The `shaipin` command (bin/shaipin.mjs): verify an export, migrate a database, run the demo
// simulation. Each subcommand loads only what it needs.
import { join } from 'node:path';
import { openDatabase } from '../platform/db/database.ts';
import { translator } from '../platform/i18n/translator.ts';
import { migrateToLatest } from '../server/migrations.ts';
import { cliLocale, runVerify } from './verify.ts';
import '../modules/event/locales/index.ts';

async function runMigrate(): Promise<number> {
  const t = translator(cliLocale());
  const env = process.env;
  const dataDir = env.SHAIPIN_DATA_DIR ?? join(process.cwd(), 'data');
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, sqliteFile: join(dataDir, 'shaipin.db') });
  try {
    const applied = await migrateToLatest(database.db);
    console.log(
      applied.length > 0
        ? t('results:cli.migrated', { names: applied.join(', ') })
        : t('results:cli.upToDate'),
    );
    return 0;
  } catch (e) {
    const params = (e as { params?: unknown }).params;
    console.error(e instanceof Error ? `${e.message}${params ? ` ${JSON.stringify(params)}` : ''}` : e);
    return 1;
  } finally {
    await database.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const t = translator(cliLocale());
  const [command, ...args] = argv;
  switch (command) {
    case 'verify':
      return runVerify(args);
    case 'migrate':
      return runMigrate();
    case 'simulate':
      await (await import('./simulate.ts')).runSimulate(process.argv.slice(3));
      return 0;
    case 'help':
    case '--help':
    case '-h':
      console.log(t('results:cli.usage'));
      return 0;
    default:
      if (command !== undefined) console.error(t('results:cli.unknown', { command }));
      console.error(t('results:cli.usage'));
      return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
