// Rows for tests, complete with the defaults a fresh setup would have, so that a test names only what
// it cares about: `rows.event({ id, title, status: 'active' })`. One place knows every column; a
// migration that adds a required column changes this file, not every test that seeds data.
import type { Insertable } from 'kysely';
import { defaultScoringSettings } from '../../src/modules/event/domain/scoring.ts';
import { newEventRow } from '../../src/modules/event/index.ts';
import type { PeriodDef } from '../../src/modules/indicators/domain/periods.ts';
import { periodRow } from '../../src/modules/indicators/index.ts';
import type {
  CriteriaTable,
  EventsTable,
  FrameworkNodesTable,
  IndicatorsTable,
  InvitesTable,
  JudgesTable,
  PanelsTable,
  PeriodsTable,
  ScoreEntriesTable,
  SlotsTable,
  TracksTable,
  UnitsTable,
  UsersTable,
} from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { type LinkKind, linkToken, tokenDigest } from '../../src/platform/link-tokens.ts';

/** The link key of every test server (test/support/http.ts, browser.ts): fixtures' links can be printed. */
export const TEST_LINK_KEY = Buffer.alloc(32, 0x5a);
/** The token the test servers derive for an invite or screen link row. */
export const testLinkToken = (kind: LinkKind, id: string): string => linkToken(TEST_LINK_KEY, kind, id);

const stamp = (): string => new Date().toISOString();
const tag = (): string => Math.random().toString(36).slice(2, 8);

export const rows = {
  /** A user who never signs in with a password unless the caller passes a real hash. */
  user(o: Partial<Insertable<UsersTable>> & Pick<Insertable<UsersTable>, 'role'>): Insertable<UsersTable> {
    const t = tag();
    return {
      id: newId(),
      username: `user-${t}`,
      display_name: `用户${t}`,
      password_hash: 'scrypt$disabled',
      unit_id: null,
      must_change_password: 0,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      created_at: stamp(),
      ...o,
    };
  },

  track(o: Partial<Insertable<TracksTable>> = {}): Insertable<TracksTable> {
    const t = tag();
    return { id: newId(), name_zh: `镇街组${t}`, name_en: `Towns ${t}`, sort: 0, ...o };
  },

  unit(
    o: Partial<Insertable<UnitsTable>> & Pick<Insertable<UnitsTable>, 'track_id'>,
  ): Insertable<UnitsTable> {
    const t = tag();
    const name = o.name ?? `单位${t}`;
    return {
      id: newId(),
      code: `U${t}`,
      name,
      short_name: name,
      kind: 'town',
      sort: 0,
      created_at: stamp(),
      ...o,
    };
  },

  event(o: Partial<Insertable<EventsTable>> = {}): Insertable<EventsTable> {
    return {
      ...newEventRow({
        id: newId(),
        title: `上半年工作大晒拼${tag()}`,
        startDate: '2023-08-03',
        endDate: '2023-08-03',
        venue: '市行政中心',
        // Quorum off unless a test is about it (see fixtures.ts).
        settings: { ...defaultScoringSettings, quorumPercent: 0 },
        at: stamp(),
      }),
      ...o,
    };
  },

  criterion(
    o: Partial<Insertable<CriteriaTable>> & Pick<Insertable<CriteriaTable>, 'event_id'>,
  ): Insertable<CriteriaTable> {
    return {
      id: newId(),
      sort: 0,
      name_zh: '工作实绩',
      name_en: 'Results',
      max_points: 100,
      step: 0.5,
      ...o,
    };
  },

  panel(
    o: Partial<Insertable<PanelsTable>> & Pick<Insertable<PanelsTable>, 'event_id'>,
  ): Insertable<PanelsTable> {
    return { id: newId(), sort: 0, name: '评委组', weight: 1, ...o };
  },

  judge(
    o: Partial<Insertable<JudgesTable>> & Pick<Insertable<JudgesTable>, 'event_id' | 'panel_id'>,
  ): Insertable<JudgesTable> {
    return { id: newId(), name: `评委${tag()}`, title: '', sort: 0, ...o };
  },

  /** A live invite whose token is testLinkToken('invite', id), as a test server would issue it. */
  invite(
    o: Partial<Insertable<InvitesTable>> & Pick<Insertable<InvitesTable>, 'event_id' | 'judge_id'>,
  ): Insertable<InvitesTable> {
    const id = o.id ?? newId();
    return {
      id,
      token_hash: tokenDigest(testLinkToken('invite', id)),
      created_at: stamp(),
      revoked_at: null,
      ...o,
    };
  },

  slot(
    o: Partial<Insertable<SlotsTable>> &
      Pick<Insertable<SlotsTable>, 'event_id' | 'track_id' | 'unit_id' | 'position'>,
  ): Insertable<SlotsTable> {
    return {
      id: newId(),
      time_limit_sec: 300,
      overtime_sec: 0,
      manual_penalty: 0,
      state: 'pending',
      opened_at: null,
      closed_at: null,
      timer_started_at: null,
      timer_paused_at: null,
      timer_stopped_at: null,
      ...o,
    };
  },

  /** A closed slot, as after its unit was scored. */
  closedSlot(
    o: Partial<Insertable<SlotsTable>> &
      Pick<Insertable<SlotsTable>, 'event_id' | 'track_id' | 'unit_id' | 'position'>,
  ): Insertable<SlotsTable> {
    const now = stamp();
    return rows.slot({ state: 'closed', opened_at: now, closed_at: now, ...o });
  },

  /**
   * A stored score outside the ledger's hash chain (for tests about what is shown, not what is
   * verified): the total is the sum of the values.
   */
  scoreEntry(
    o: Partial<Insertable<ScoreEntriesTable>> &
      Pick<Insertable<ScoreEntriesTable>, 'event_id' | 'seq' | 'slot_id' | 'judge_id'> & {
        values: Record<string, number>;
      },
  ): Insertable<ScoreEntriesTable> {
    const { values, ...rest } = o;
    return {
      id: newId(),
      client_id: newId(),
      score_values: JSON.stringify(values),
      total: Object.values(values).reduce((a, b) => a + b, 0),
      created_at: stamp(),
      prev_hash: '0'.repeat(64),
      hash: String(o.seq).padStart(64, '0'),
      ...rest,
    };
  },

  frameworkNode(o: Partial<Insertable<FrameworkNodesTable>> = {}): Insertable<FrameworkNodesTable> {
    const t = tag();
    return {
      id: newId(),
      parent_id: null,
      code: `N${t}`,
      name: `工作${t}`,
      kind: 'task',
      sort: 0,
      created_at: stamp(),
      ...o,
    };
  },

  indicator(
    o: Partial<Insertable<IndicatorsTable>> & Pick<Insertable<IndicatorsTable>, 'node_id' | 'unit_id'>,
  ): Insertable<IndicatorsTable> {
    const t = tag();
    const now = stamp();
    return {
      id: newId(),
      code: `I${t}`,
      name: `指标${t}`,
      measure: '亿元',
      direction: 'higher',
      kind: 'cumulative',
      year: 2023,
      baseline: 0,
      target: 100,
      tier_floor: null,
      tier_stretch: null,
      frequency: 'quarterly',
      plan: JSON.stringify({ kind: 'linear' }),
      weight: 1,
      light_source: 'completion',
      sort: 0,
      created_at: now,
      updated_at: now,
      ...o,
    };
  },

  /** A reporting period as the domain computes it (keys are global: callers usually skip existing ones). */
  period: (p: PeriodDef): Insertable<PeriodsTable> => periodRow(p),
};
