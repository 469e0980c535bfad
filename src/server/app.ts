// Builds the HTTP app: plugins, the actor of each request, routes, static web assets.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError } from '../kernel/errors.ts';
import { actorFromSession } from '../modules/accounts/index.ts';
import { type LiveRouteOptions, registerLive } from '../modules/event/index.ts';
import { configureRobotHosts } from '../modules/notifications/index.ts';
import type { Database } from '../platform/db/database.ts';
import { MAX_UPLOAD_BYTES } from '../platform/excel.ts';
import { type App, SESSION_COOKIE } from '../platform/http/app.ts';
import { crossSiteRefusal } from '../platform/http/csrf.ts';
import { errorHandler, sendError } from '../platform/http/errors.ts';
import { type FailureLimit, FailureLimiter } from '../platform/http/failure-limit.ts';
import { binaryContentTypes } from '../platform/http/files.ts';
import { logRedaction } from '../platform/http/log-redaction.ts';
import { pickLocale } from '../platform/i18n/locales.ts';
import { productModules } from './modules.ts';

/**
 * What the pages may load: only this server's own files. Ant Design writes its styles into <style>
 * elements at run time, hence 'unsafe-inline' for styles (never for scripts). No page may be framed.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** Whether a parsed request part holds a NUL character in any string, key or value. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return false;
  for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || hasNul(v, depth + 1)) return true;
  return false;
}

export interface AppOptions {
  database: Database;
  /** Base URL printed into invite links and QR codes. Defaults to the request's own origin. */
  publicUrl?: string | undefined;
  /**
   * Key of the invite and screen links (platform/link-tokens.ts loadLinkKey). Servers sharing one
   * database must share it; without one, a key for this process only (tests, scripts).
   */
  linkKey?: Buffer | undefined;
  /** Built web assets (dist/web). Not served when absent. */
  webRoot?: string | undefined;
  /** Request logging; a stream instead of standard output in tests. */
  logger?: boolean | { stream: NodeJS.WritableStream };
  /** Password sign-in requests per minute per IP. */
  loginRateLimit?: number;
  /** Failed judge/screen token sign-ins allowed per IP and window (default 30 a minute). */
  tokenSignInFailures?: FailureLimit;
  /** Injected clock for tests. */
  clock?: () => Date;
  secureCookies?: boolean;
  /**
   * Which peers may set X-Forwarded-For (Fastify trustProxy). Defaults to loopback only: trusting
   * every peer would let any client forge its IP and dodge the per-IP sign-in limit.
   */
  trustProxy?: boolean | string | string[];
  /** Serve HTTPS with this certificate (PEM): service workers, hence the judge page's offline reload, need it. */
  https?: { cert: Buffer; key: Buffer } | undefined;
  /**
   * The modules' background work (notification delivery, time rules): started when the server is
   * ready, stopped when it closes. Off unless given (tests drive those use cases with their own clock).
   */
  background?: { intervalMs?: number; fetch?: typeof fetch; leaseMs?: number } | undefined;
  /** Hosts besides DingTalk's, WeCom's and Feishu's own that group robots may be on (ROBOT_HOSTS). */
  robotHosts?: readonly string[] | undefined;
  /** Live-update tuning and, in tests, snapshot builders (see src/modules/event/live/). */
  live?: Partial<Omit<LiveRouteOptions, 'database' | 'clock' | 'sessionCookie'>> | undefined;
}

export async function buildApp(options: AppOptions): Promise<App> {
  const clock = options.clock ?? (() => new Date());
  configureRobotHosts(options.robotHosts ?? []);
  const { db, kind } = options.database;
  const app = Fastify({
    logger: options.logger
      ? {
          level: 'info',
          ...logRedaction,
          ...(typeof options.logger === 'object' ? { stream: options.logger.stream } : {}),
        }
      : false,
    bodyLimit: 12 * 1024 * 1024,
    trustProxy: options.trustProxy ?? 'loopback',
    // Fastify types an HTTPS instance apart; the routes use nothing that differs between the two.
    ...((options.https ? { https: options.https } : {}) as object),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  // Uploads (Excel) arrive as raw bytes; size is capped per route and the type is checked by content.
  app.addContentTypeParser(
    binaryContentTypes,
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 1 },
    (_req, body, done) => done(null, body),
  );
  await app.register(fastifyCookie);
  // Before every other route: the WebSocket plugin hooks route registration.
  await registerLive(app, {
    ...options.live,
    database: options.database,
    clock,
    publicUrl: options.publicUrl,
    sessionCookie: SESSION_COOKIE,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: contentSecurityPolicy },
    // HSTS only where this server itself speaks HTTPS; behind plain HTTP it would be a promise broken.
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 60 * 60 } : false,
    // The judge page and the console load nothing from elsewhere; embedding pages do not exist.
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'shaipin API',
        version: '1.0.0',
        description: '晒拼 — showcase events, scoring and results',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });

  const linkKey = options.linkKey ?? randomBytes(32);
  const publicUrlOf = (req: { protocol: string; host: string }): string =>
    options.publicUrl ?? `${req.protocol}://${req.host}`;

  // PostgreSQL cannot store a NUL character in text; SQLite would, and the two would then differ.
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.body) || hasNul(request.query) || hasNul(request.params)) {
      throw new AppError('validation_failed', { detail: 'NUL (\\u0000)' });
    }
  });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('ctx', function (this: import('fastify').FastifyRequest) {
    return {
      db,
      dbKind: kind,
      actor: this.actor,
      now: clock(),
      publicUrl: publicUrlOf(this),
      linkKey,
      locale: pickLocale(this.headers['accept-language']),
      bus: options.database.bus,
    };
  });
  const trustedOrigins = options.publicUrl ? [new URL(options.publicUrl).origin] : [];
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const refusal = crossSiteRefusal(request, { trustedOrigins });
    if (refusal !== null) {
      request.log.warn({ refusal }, 'cross-site request refused');
      return sendError(request, reply, new AppError('cross_site_request'));
    }
    request.actor = await actorFromSession(
      { db, dbKind: kind, now: clock(), publicUrl: '', locale: 'zh-CN' },
      request.cookies[SESSION_COOKIE],
    );
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true, database: kind }));

  await app.register(async (scope) => {
    const deps = {
      cookie: { secure: options.secureCookies ?? false },
      loginRateLimit: options.loginRateLimit ?? 20,
      tokenSignInFailures: new FailureLimiter(
        options.tokenSignInFailures ?? { max: 30, windowMs: 60_000 },
        () => clock().getTime(),
      ),
    };
    for (const module of productModules) module.registerRoutes(scope as unknown as App, deps);
  });

  if (options.background) {
    const bg = options.background;
    const jobs: { stop(): Promise<void> }[] = [];
    app.addHook('onReady', async () => {
      for (const module of productModules) {
        const job = module.startBackground?.({
          db,
          dbKind: kind,
          clock,
          linkKey,
          publicUrl: options.publicUrl ?? '',
          fetch: bg.fetch ?? fetch,
          intervalMs: bg.intervalMs ?? 1_000,
          leaseMs: bg.leaseMs,
          logError: (what, e) => app.log.error({ err: e }, `${what} failed`),
        });
        if (job) jobs.push(job);
      }
    });
    app.addHook('onClose', async () => {
      await Promise.all(jobs.map((j) => j.stop()));
    });
  }

  if (options.webRoot && existsSync(options.webRoot)) {
    // Vite names every built asset by its content hash (assets/…): those may be cached for good.
    // Everything else (the HTML entries, the judge page's service worker judge-sw.js) is revalidated
    // on each load, so a new build reaches every phone. Brotli and gzip copies are made at build time
    // (scripts/precompress.mjs) and chosen by Accept-Encoding.
    await app.register(fastifyStatic, {
      root: options.webRoot,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        const hashed = /[\\/]assets[\\/]/.test(path);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // Client-side routes of the two web apps fall back to their HTML entry; /api/* never does.
    const spa =
      (file: string) => (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) =>
        request.url.startsWith('/api/')
          ? sendError(request, reply, new AppError('not_found', { what: request.url }))
          : reply.sendFile(file);
    app.get('/judge', spa('judge.html'));
    app.get('/judge/*', spa('judge.html'));
    app.get('/screen', spa('screen.html'));
    app.get('/screen/*', spa('screen.html'));
    app.get('/*', spa('index.html'));
  }

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new AppError('not_found', { what: request.url })),
  );
  return app;
}
