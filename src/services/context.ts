import type { Kysely } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import type { Locale } from '../shared/i18n.ts';
import type { DbKind } from '../storage/db.ts';
import type { DB } from '../storage/schema.ts';

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
}

export const nowIso = (ctx: Pick<Ctx, 'now'>): string => ctx.now.toISOString();
