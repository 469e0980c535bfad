import type { Kysely } from 'kysely';
import type { Actor } from '../kernel/actor.ts';
import type { DbKind } from './db/database.ts';
import type { DB } from './db/schema.ts';
import type { Locale } from './i18n/locales.ts';
import type { LiveBus, LiveTopic } from './live-bus.ts';

/** What every use case receives: who acts, when, and the storage. Nothing about HTTP. */
export interface Ctx {
  db: Kysely<DB>;
  dbKind: DbKind;
  actor: Actor;
  now: Date;
  /** Absolute base URL for links printed into QR codes, e.g. http://10.0.0.5:3000 */
  publicUrl: string;
  /** The caller's language, for texts a use case produces (row errors, file headers). */
  locale: Locale;
  /** Key of the printed invite and screen links (platform/link-tokens.ts); absent where none is issued. */
  linkKey?: Buffer | undefined;
  /** Live-update notifications; absent in scripts that need none. */
  bus?: LiveBus | undefined;
}

export const nowIso = (ctx: Pick<Ctx, 'now'>): string => ctx.now.toISOString();

/** Tells live clients that something of an event changed. Call after the change is committed. */
export function notify(ctx: Pick<Ctx, 'bus'>, eventId: string, ...topics: LiveTopic[]): void {
  ctx.bus?.publish({ eventId, topics });
}

/** The link key, or an internal error: a script that issues links must be given one. */
export function requireLinkKey(ctx: Pick<Ctx, 'linkKey'>): Buffer {
  if (!ctx.linkKey) throw new Error('No link key: this context cannot issue invite or screen links.');
  return ctx.linkKey;
}
