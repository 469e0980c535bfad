// The rows a new event and a new, not yet opened slot start as: one place for the columns' starting
// values, used by event setup, the agenda, copying an event and the demo.
import type { Insertable } from 'kysely';
import type { EventsTable, SlotsTable } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { GENESIS_HASH } from './domain/ledger.ts';
import type { ScoringSettings } from './domain/scoring.ts';

export function newEventRow(input: {
  id: string;
  title: string;
  startDate: string;
  endDate: string;
  venue: string;
  settings: ScoringSettings;
  drawSeed?: string | null;
  at: string;
}): Insertable<EventsTable> {
  return {
    id: input.id,
    title: input.title,
    start_date: input.startDate,
    end_date: input.endDate,
    venue: input.venue,
    status: 'draft',
    settings: JSON.stringify(input.settings),
    draw_seed: input.drawSeed ?? null,
    ledger_seq: 0,
    // An empty ledger: the first score links to the genesis hash.
    ledger_head: GENESIS_HASH,
    revealed: '[]',
    published_at: null,
    published_results: null,
    scoring_started: 0,
    created_at: input.at,
    updated_at: input.at,
  };
}

export function newPendingSlotRow(input: {
  eventId: string;
  trackId: string;
  unitId: string;
  position: number;
  timeLimitSec: number;
}): Insertable<SlotsTable> {
  return {
    id: newId(),
    event_id: input.eventId,
    track_id: input.trackId,
    unit_id: input.unitId,
    position: input.position,
    time_limit_sec: input.timeLimitSec,
    overtime_sec: 0,
    manual_penalty: 0,
    state: 'pending',
    opened_at: null,
    closed_at: null,
  };
}
