// The real server for phase b: buildApp over the SQLite file in DIR, as src/server/main.ts builds it,
// except that the sign-in rate limit is lifted (2,000 judges sign in from one loopback address).
// Usage: tsx bench/app-server.ts DIR — prints {"port":N} once listening on 127.0.0.1.
import { join } from 'node:path';
import { openDatabase } from '../src/platform/db/database.ts';
import { buildApp } from '../src/server/app.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: app-server.ts DIR');
const database = openDatabase({ sqliteFile: join(dir, 'shaipin.db') });
const app = await buildApp({ database, logger: false, loginRateLimit: 1_000_000 });

const stop = async (): Promise<void> => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
);
