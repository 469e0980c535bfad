import type { Migration } from 'kysely';
import * as m0001 from './0001_init.ts';

// Forward-only: append new migrations here; never edit or remove a released one.
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
};
