import type { Kysely } from 'kysely';
import type { DB } from '../storage/schema.ts';

/** Placeholder until the demo event lands: fills a fresh database with the demo event. */
export async function seedDemo(_db: Kysely<DB>): Promise<void> {}
