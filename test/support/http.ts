// The HTTP app in-process (app.inject, no port) over a fresh database, plus signed-in clients per role.
// Password hashing is deliberately slow (scrypt), so users are created once per app and their
// cookies reused: ask for `await asRole(t, 'organizer')` as often as you like.

import type { Role } from '../../src/kernel/schemas.ts';
import { hashPassword } from '../../src/modules/accounts/passwords.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { XLSX_MIME } from '../../src/platform/excel.ts';
import { type App, SESSION_COOKIE } from '../../src/platform/http/app.ts';
import { newId } from '../../src/platform/ids.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type DbKind, type TestDatabase } from './db.ts';
import { rows, TEST_LINK_KEY } from './factory.ts';

/** A clock that runs with real time but can be moved forward (lockouts, expiries), or stopped. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
  set(at: Date): void;
  /**
   * Stops the clock at its current reading: from now on it moves only by advance() and set(), so a
   * test can compute durations exactly, however long its requests take on a busy machine.
   */
  freeze(): void;
  /** Lets a stopped clock run with real time again, from where it stood. */
  resume(): void;
}

export function createClock(): TestClock {
  let offset = 0;
  /** The reading while stopped, null while running. */
  let frozen: number | null = null;
  return {
    now: () => new Date(frozen ?? Date.now() + offset),
    advance: (ms) => {
      if (frozen !== null) frozen += ms;
      else offset += ms;
    },
    set: (at) => {
      if (frozen !== null) frozen = at.getTime();
      else offset = at.getTime() - Date.now();
    },
    freeze: () => {
      frozen ??= Date.now() + offset;
    },
    resume: () => {
      if (frozen === null) return;
      offset = frozen - Date.now();
      frozen = null;
    },
  };
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  clock: TestClock;
  /** Closes the app and drops its database. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Sign-in attempts per minute per IP. High by default so tests never trip it by accident. */
  loginRateLimit?: number;
  /** Failed token sign-ins per IP and window; high by default, like loginRateLimit. */
  tokenSignInFailures?: { max: number; windowMs: number };
  publicUrl?: string;
  webRoot?: string;
}

export async function createTestApp(kind: DbKind, opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const clock = createClock();
  const app = await buildApp({
    database,
    clock: clock.now,
    logger: false,
    linkKey: TEST_LINK_KEY,
    loginRateLimit: opts.loginRateLimit ?? 10_000,
    tokenSignInFailures: opts.tokenSignInFailures ?? { max: 10_000, windowMs: 60_000 },
    publicUrl: opts.publicUrl ?? 'http://shaipin.test',
    webRoot: opts.webRoot,
    // The local robot endpoint of the tests (test/support/robot.ts).
    robotHosts: ['127.0.0.1'],
  });
  await app.ready();
  return {
    app,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

// ---------- requests ----------

export interface TestResponse {
  status: number;
  /** Parsed JSON body; undefined when the response is not JSON. Typed loosely: tests assert fields. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in tests
  json: any;
  headers: Record<string, string | string[] | number | undefined>;
  /** Body as text. */
  body: string;
  /** Body as bytes (files). */
  raw: Buffer;
  /** Cookies the response set, parsed. */
  cookies: {
    name: string;
    value: string;
    httpOnly?: boolean;
    sameSite?: string;
    path?: string;
    maxAge?: number;
  }[];
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Accept-Language of the request. */
  lang?: string;
  /** Content type of a Buffer body; .xlsx by default. */
  contentType?: string;
  /** The TCP peer address; loopback (a local reverse proxy) by default. */
  remoteAddress?: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request(
  app: App,
  method: Method,
  url: string,
  body?: unknown,
  opts: RequestOptions & { cookie?: string | null } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.lang) headers['accept-language'] = opts.lang;
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(body)) {
    payload = body;
    headers['content-type'] ??= opts.contentType ?? XLSX_MIME;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
  });
  const type = String(res.headers['content-type'] ?? '');
  let json: unknown;
  if (type.includes('json') && res.body !== '') json = JSON.parse(res.body);
  return {
    status: res.statusCode,
    json,
    headers: res.headers,
    body: res.body,
    raw: res.rawPayload,
    cookies: res.cookies as TestResponse['cookies'],
  };
}

export interface Client {
  /** The session cookie sent with every request (`sp_session=…`), null when anonymous. */
  cookie: string | null;
  get(url: string, opts?: RequestOptions): Promise<TestResponse>;
  delete(url: string, opts?: RequestOptions): Promise<TestResponse>;
  post(url: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse>;
  patch(url: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse>;
  put(url: string, body?: unknown, opts?: RequestOptions): Promise<TestResponse>;
}

export function clientFor(app: App, cookie: string | null = null): Client {
  return {
    cookie,
    get: (url, opts) => request(app, 'GET', url, undefined, { ...opts, cookie }),
    delete: (url, opts) => request(app, 'DELETE', url, undefined, { ...opts, cookie }),
    post: (url, body, opts) => request(app, 'POST', url, body, { ...opts, cookie }),
    patch: (url, body, opts) => request(app, 'PATCH', url, body, { ...opts, cookie }),
    put: (url, body, opts) => request(app, 'PUT', url, body, { ...opts, cookie }),
  };
}

/** A client without a session. */
export const anonymous = (t: Pick<TestApp, 'app'>): Client => clientFor(t.app);

// ---------- users and sign-in ----------

export const DEFAULT_PASSWORD = 'Correct-Horse-42';

const hashes = new Map<string, Promise<string>>();
/** One scrypt per distinct password per test file: seeding many users stays fast. */
const hashOf = (password: string): Promise<string> => {
  let h = hashes.get(password);
  if (!h) {
    h = hashPassword(password);
    hashes.set(password, h);
  }
  return h;
};

export interface SeedUserInput {
  role: Role;
  unitId?: string | null;
  username?: string;
  password?: string;
  displayName?: string;
  mustChangePassword?: boolean;
  disabled?: boolean;
}

export interface SeededUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  unitId: string | null;
}

let userCounter = 0;

/** Inserts a user with a known password directly (no API, no audit). */
export async function seedUser(database: Pick<Database, 'db'>, input: SeedUserInput): Promise<SeededUser> {
  if (input.role === 'reporter' && !input.unitId) throw new Error('seedUser: a reporter needs a unitId');
  userCounter++;
  const user: SeededUser = {
    id: newId(),
    username: input.username ?? `${input.role}${userCounter}_${Math.random().toString(36).slice(2, 8)}`,
    password: input.password ?? DEFAULT_PASSWORD,
    role: input.role,
    unitId: input.role === 'reporter' ? (input.unitId ?? null) : null,
  };
  await database.db
    .insertInto('users')
    .values(
      rows.user({
        id: user.id,
        username: user.username,
        display_name: input.displayName ?? `Test ${input.role} ${userCounter}`,
        password_hash: await hashOf(user.password),
        role: user.role,
        unit_id: user.unitId,
        must_change_password: input.mustChangePassword ? 1 : 0,
        disabled: input.disabled ? 1 : 0,
      }),
    )
    .execute();
  return user;
}

/** Signs in through the API and returns the session cookie (`sp_session=…`). */
export async function loginAs(app: App, username: string, password: string): Promise<string> {
  const res = await request(app, 'POST', '/api/auth/login', { username, password });
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  if (res.status !== 200 || !c) {
    throw new Error(`login of ${username} failed: ${res.status} ${res.body}`);
  }
  return `${SESSION_COOKIE}=${c.value}`;
}

export interface RoleClient extends Client {
  user: SeededUser;
}

const roleClients = new WeakMap<App, Map<string, Promise<RoleClient>>>();

/**
 * A signed-in client of a user with that role (and unit, for reporters), created on first use and
 * reused for the same app afterwards.
 */
export function asRole(
  t: Pick<TestApp, 'app' | 'database'>,
  role: Role,
  unitId?: string | null,
): Promise<RoleClient> {
  let perApp = roleClients.get(t.app);
  if (!perApp) {
    perApp = new Map();
    roleClients.set(t.app, perApp);
  }
  const key = `${role}:${unitId ?? ''}`;
  let c = perApp.get(key);
  if (!c) {
    c = (async () => {
      const user = await seedUser(t.database, { role, unitId: unitId ?? null });
      const cookie = await loginAs(t.app, user.username, user.password);
      return { ...clientFor(t.app, cookie), user };
    })();
    // A failed sign-in must not be cached for the next test.
    c.catch(() => perApp.delete(key));
    perApp.set(key, c);
  }
  return c;
}

/** A judge's phone: opens a session from an invite token (the `t` of the invite URL). */
export async function asJudge(t: Pick<TestApp, 'app'>, inviteToken: string): Promise<Client> {
  const res = await request(t.app, 'POST', '/api/judge/session', { token: inviteToken });
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  if (res.status !== 200 || !c) throw new Error(`judge sign-in failed: ${res.status} ${res.body}`);
  return clientFor(t.app, `${SESSION_COOKIE}=${c.value}`);
}
