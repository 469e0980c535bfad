// Process entry: configuration from the environment, migrations, first-start data, listen.
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAccountsWithPublishedPasswords, seedDemo } from '../demo/seed.ts';
import { ensureInitialOrganizer } from '../modules/accounts/index.ts';
import { openDatabase } from '../platform/db/database.ts';
import { loadLinkKey } from '../platform/link-tokens.ts';
import { buildApp } from './app.ts';
import { boxed, chooseListenHost } from './listen.ts';
import { migrateToLatest } from './migrations.ts';

// The repository root: the nearest folder above this file with a package.json (src/server when run
// through tsx, dist/node/server when compiled).
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const root = findRoot(dirname(fileURLToPath(import.meta.url)));
const env = process.env;
const dataDir = env.SHAIPIN_DATA_DIR ?? join(process.cwd(), 'data');
const empty = process.argv.includes('--empty') || env.SHAIPIN_EMPTY === '1';
const port = Number(env.PORT ?? 3000);
// HTTPS_CERT + HTTPS_KEY (PEM file paths): serve HTTPS ourselves (docs/https.md).
if (Boolean(env.HTTPS_CERT) !== Boolean(env.HTTPS_KEY)) {
  console.error('Set both HTTPS_CERT and HTTPS_KEY (PEM file paths), or neither.');
  process.exit(1);
}
const https =
  env.HTTPS_CERT && env.HTTPS_KEY
    ? { cert: readFileSync(env.HTTPS_CERT), key: readFileSync(env.HTTPS_KEY) }
    : undefined;

// The key the printed invite and screen links are derived from; the database holds only their digests.
let linkKey: Buffer;
try {
  linkKey = loadLinkKey({ secret: env.SHAIPIN_LINK_SECRET, file: join(dataDir, 'link.key') });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

const database = openDatabase({ databaseUrl: env.DATABASE_URL, sqliteFile: join(dataDir, 'shaipin.db') });
try {
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) console.log(`migrations applied: ${applied.join(', ')}`);
} catch (e) {
  console.error(
    e instanceof Error ? `${e.message}: ${JSON.stringify((e as { params?: unknown }).params ?? {})}` : e,
  );
  process.exit(1);
}

const fresh = !(await database.db.selectFrom('users').select('id').limit(1).executeTakeFirst());
if (fresh) {
  const base = {
    db: database.db,
    dbKind: database.kind,
    now: new Date(),
    publicUrl: '',
    linkKey,
    locale: 'zh-CN' as const,
  };
  if (empty) {
    const first = await ensureInitialOrganizer(base);
    if (first) {
      console.log('Empty start: an organizer account was created. Change this password at first sign-in.');
      console.log(`  user: ${first.username}`);
      console.log(`  one-time password: ${first.oneTimePassword}`);
    }
  } else {
    await seedDemo(database, linkKey);
    console.log(
      'Demo data loaded (see README for the demo logins). Start with --empty for a clean database.',
    );
  }
}

if (!env.PUBLIC_URL && env.BACKGROUND !== '0')
  console.warn(
    "PUBLIC_URL is not set: the links in group robots' messages will be paths without the address.",
  );

const { host, warning } = chooseListenHost(env.HOST, await demoAccountsWithPublishedPasswords(database.db));
if (warning) console.warn(boxed(warning));

const app = await buildApp({
  database,
  publicUrl: env.PUBLIC_URL,
  linkKey,
  webRoot: join(root, 'dist', 'web'),
  logger: env.LOG !== '0',
  // Over HTTPS the session cookie is Secure unless SECURE_COOKIES=0 says otherwise.
  secureCookies: env.SECURE_COOKIES ? env.SECURE_COOKIES === '1' : Boolean(https),
  https,
  // Failed judge-invite and screen-link sign-ins per client address per minute (successes are free).
  tokenSignInFailures: { max: Number(env.TOKEN_SIGNIN_FAILURES_PER_MINUTE ?? 30), windowMs: 60_000 },
  loginRateLimit: Number(env.LOGIN_RATE_LIMIT_PER_MINUTE ?? 20),
  // ROBOT_HOSTS: hosts besides the services' own where group robots may be (a private 浙政钉), comma-separated.
  robotHosts: env.ROBOT_HOSTS ? env.ROBOT_HOSTS.split(',') : undefined,
  // Robots' messages and the time rules (docs/notifications.md); BACKGROUND=0 turns them off here.
  background:
    env.BACKGROUND === '0' ? undefined : { intervalMs: Number(env.BACKGROUND_INTERVAL_MS ?? 1_000) },
  // Behind a reverse proxy on another host, name it (e.g. TRUST_PROXY=10.0.0.2) so client IPs are real.
  trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY || undefined,
});

const shutdown = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

await app.listen({ port, host });
console.log(
  `shaipin is serving on ${https ? 'https' : 'http'}://${host === '0.0.0.0' ? 'localhost' : host}:${port} (${database.kind})`,
);

// HTTP_REDIRECT_PORT (with HTTPS): answer plain http://host:<that port>/… with a redirect to HTTPS,
// so an old QR code or a typed address still lands on the secure page.
const redirectPort = env.HTTP_REDIRECT_PORT ? Number(env.HTTP_REDIRECT_PORT) : null;
if (https && redirectPort) {
  const redirect = createHttpServer((req, res) => {
    let hostname = 'localhost';
    try {
      hostname = new URL(`http://${req.headers.host ?? 'localhost'}`).hostname;
    } catch {
      // A malformed Host header: redirect to localhost rather than echo it.
    }
    const target = `https://${hostname}${port === 443 ? '' : `:${port}`}${req.url ?? '/'}`;
    res.writeHead(308, { location: target, 'content-type': 'text/plain' }).end(target);
  });
  redirect.listen(redirectPort, host, () =>
    console.log(`redirecting http://…:${redirectPort} to https://…:${port}`),
  );
}
