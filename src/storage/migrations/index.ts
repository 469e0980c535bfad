import type { Migration } from 'kysely';
import * as m0001 from './0001_init.ts';
import * as m0002 from './0002_event_day.ts';
import * as m0003 from './0003_indicators.ts';
import * as m0004 from './0004_indicator_indexes.ts';

// Forward-only: append new migrations here; never edit or remove a released one.
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_event_day': m0002,
  '0003_indicators': m0003,
  '0004_indicator_indexes': m0004,
};
