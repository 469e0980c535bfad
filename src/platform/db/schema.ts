// Table shapes as Kysely sees them. Dialect-neutral on purpose: ids and timestamps are text
// (ISO 8601 UTC), booleans are integers 0/1, structured values are JSON text.
import type { Generated, Selectable } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  unit_id: string | null;
  must_change_password: number;
  failed_logins: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie token: a stolen database does not yield live sessions
  user_id: string | null;
  judge_id: string | null;
  event_id: string | null;
  role: string;
  created_at: string;
  expires_at: string;
  /** Big-screen sessions: revoking the token ends them. */
  screen_token_id: Generated<string | null>;
}

export interface SignInFailuresTable {
  username: string;
  /** A client address, or '*' for the account over all addresses. */
  scope: string;
  failures: number;
  last_failed_at: string;
  blocked_until: string | null;
}

export interface KnownDevicesTable {
  id: string; // sha256 of the device cookie
  user_id: string;
  created_at: string;
  last_used_at: string;
}

export interface TracksTable {
  id: string;
  name_zh: string;
  name_en: string;
  sort: number;
}

export interface UnitsTable {
  id: string;
  code: string;
  name: string;
  short_name: string;
  kind: string;
  track_id: string | null;
  sort: number;
  created_at: string;
}

export interface EventsTable {
  id: string;
  title: string;
  start_date: string;
  end_date: string;
  venue: string;
  status: string; // draft | active | locked
  settings: string; // JSON ScoringSettings
  draw_seed: string | null;
  ledger_seq: number;
  ledger_head: string;
  revealed: string; // JSON string[] of track ids revealed to leaders and the big screen
  published_at: string | null;
  published_results: string | null; // JSON snapshot of the published results
  /** 1, 2 … for each publication (a withdrawal and a new publication make the next); 0: never. */
  publication_version: Generated<number>;
  scoring_started: number;
  created_at: string;
  updated_at: string;
  /** The slot on stage now (host console), shown by the big screen and judges' pages. */
  current_slot_id: Generated<string | null>;
  /** What the big screen shows: title | agenda | speaker | slides | progress | reveal */
  screen_mode: Generated<string>;
  /** The track whose ranking the screen reveals (must be revealed). */
  screen_track_id: Generated<string | null>;
  screen_theme: Generated<string>;
  /** Units of the revealed track shown so far, from the last place up; null: all. */
  screen_reveal_count: number | null;
  auto_open_on_stop: Generated<number>;
  /** The slot whose showcase slides the screen pages through; another slot on stage starts at 0. */
  screen_slide_slot_id: Generated<string | null>;
  /** The slide of that slot's deck on the screen (0-based; the screen clamps it to the deck). */
  screen_slide_index: Generated<number>;
}

export interface ScreenTokensTable {
  id: string;
  event_id: string;
  /** sha256 of the link's token (platform/link-tokens.ts); the token itself is never stored. */
  token_hash: string;
  label: Generated<string>;
  created_at: string;
  revoked_at: string | null;
}

export interface EventTracksTable {
  event_id: string;
  track_id: string;
  sort: number;
}

export interface CriteriaTable {
  id: string;
  event_id: string;
  sort: number;
  name_zh: string;
  name_en: string;
  max_points: number;
  step: number;
}

export interface PanelsTable {
  id: string;
  event_id: string;
  sort: number;
  name: string;
  weight: number;
}

export interface JudgesTable {
  id: string;
  event_id: string;
  panel_id: string;
  name: string;
  title: string;
  sort: number;
}

export interface JudgeAffiliationsTable {
  judge_id: string;
  unit_id: string;
}

export interface InvitesTable {
  id: string;
  judge_id: string;
  event_id: string;
  /** sha256 of the invite's token (platform/link-tokens.ts); the token itself is never stored. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SlotsTable {
  id: string;
  event_id: string;
  track_id: string;
  unit_id: string;
  position: number;
  time_limit_sec: number;
  overtime_sec: number;
  manual_penalty: number;
  state: string; // pending | open | closed
  opened_at: string | null;
  closed_at: string | null;
  timer_started_at: string | null;
  timer_paused_at: string | null;
  timer_paused_ms: Generated<number>;
  timer_extended_sec: Generated<number>;
  timer_stopped_at: string | null;
}

export interface ScoreEntriesTable {
  id: string;
  event_id: string;
  seq: number; // position in the event's hash-chained ledger, 1-based
  slot_id: string;
  judge_id: string;
  client_id: string;
  score_values: string; // canonical JSON of { criterionId: points }
  total: number;
  created_at: string;
  prev_hash: string;
  hash: string;
}

export interface AuditLogTable {
  id: string;
  event_id: string | null;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target: string | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  created_at: string;
}

export interface FrameworkNodesTable {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  kind: string; // program | task
  sort: number;
  created_at: string;
}

export interface IndicatorsTable {
  id: string;
  node_id: string;
  code: string;
  name: string;
  measure: string;
  direction: string; // higher | lower
  kind: string; // cumulative | point
  year: number;
  baseline: number;
  target: number;
  tier_floor: number | null;
  tier_stretch: number | null;
  unit_id: string;
  frequency: string; // monthly | quarterly
  plan: string; // JSON
  weight: number;
  light_source: string; // completion | rank
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface IndicatorCoUnitsTable {
  indicator_id: string;
  unit_id: string;
}

export interface PeriodsTable {
  key: string;
  year: number;
  kind: string; // month | quarter
  idx: number;
  start_date: string;
  end_date: string;
  due_date: string;
  grace_days: number;
  locked: number;
}

export interface ActualsTable {
  id: string;
  indicator_id: string;
  period_key: string;
  value: number;
  note: string;
  status: string; // draft | submitted | verified | returned
  return_reason: string | null;
  version: number;
  submitted_at: string | null;
  verified_at: string | null;
  updated_by: string;
  updated_at: string;
}

export interface ActualRevisionsTable {
  id: string;
  actual_id: string;
  version: number;
  value: number;
  note: string;
  status: string;
  reason: string | null;
  actor_id: string | null;
  actor_name: string;
  created_at: string;
}

export interface EvidenceFilesTable {
  id: string;
  actual_id: string;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  content_base64: string;
  uploaded_by: string;
  created_at: string;
}

export interface RankingsTable {
  id: string;
  indicator_id: string | null;
  unit_id: string | null;
  scope: string;
  period_key: string;
  rank: number;
  out_of: number;
  source: string;
  published_on: string | null;
  created_at: string;
}

export interface LightRulesTable {
  version: number;
  config: string;
  created_by: string;
  created_at: string;
}

export interface ReportTemplatesTable {
  event_id: string;
  body: string;
  period_key: string | null;
  deadline: string | null;
  updated_at: string;
}

export interface ReportRequiredTable {
  id: string;
  event_id: string;
  unit_id: string;
  kind: string; // indicator | work
  indicator_id: string | null;
  title: string;
  sort: number;
}

export interface ReportsTable {
  id: string;
  event_id: string;
  unit_id: string;
  status: string; // draft | submitted | verified | returned
  content: string;
  facts: string | null;
  comments: string | null;
  version: number;
  submitted_at: string | null;
  reviewed_at: string | null;
  updated_by: string;
  updated_at: string;
}

export interface ReportLogosTable {
  event_id: string;
  mime: string;
  content_base64: string;
  updated_at: string;
}

export interface ReportPhotosTable {
  id: string;
  event_id: string;
  unit_id: string;
  mime: string;
  width: number;
  height: number;
  size: number;
  content_base64: string;
  uploaded_by: string;
  created_at: string;
}

export interface ReportRevisionsTable {
  id: string;
  report_id: string;
  version: number;
  status: string;
  content: string;
  facts: string | null;
  comments: string | null;
  actor_id: string | null;
  actor_name: string;
  created_at: string;
}

// ---------- livelihood projects and supervision ----------

export interface LpProjectsTable {
  id: string;
  code: string;
  name: string;
  year: number;
  level: string;
  category: string;
  content: string;
  lead_unit_id: string;
  /** JSON string[] */
  co_unit_ids: string;
  contact_leader: string;
  /** JSON string[] */
  sites: string;
  /** JSON {name, unit, target, actual}[] */
  outputs: string;
  /** JSON string[] */
  indicator_ids: string;
  start_date: string;
  deadline: string;
  report_interval: string;
  /** JSON {value, reason} or null */
  manual_progress: string | null;
  last_update_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LpMilestonesTable {
  id: string;
  project_id: string;
  sort: number;
  title: string;
  planned_date: string;
  done_date: string | null;
  weight: number;
  evidence_required: number;
}

export interface LpUpdatesTable {
  id: string;
  project_id: string;
  unit_id: string;
  text: string;
  /** JSON {name, value}[] */
  outputs: string;
  /** JSON string[] */
  milestone_ids_done: string;
  status: string;
  review_comment: string | null;
  author_id: string;
  author_name: string;
  created_at: string;
  reviewed_at: string | null;
}

export interface SvVisitsTable {
  id: string;
  title: string;
  visit_date: string;
  leader_user_id: string | null;
  leader_name: string;
  companions: string;
  /** JSON string[] */
  project_ids: string;
  sites: string;
  findings: string;
  created_by: string;
  created_at: string;
}

export interface SvInstructionsTable {
  id: string;
  visit_id: string;
  sort: number;
  text: string;
  project_id: string | null;
  created_at: string;
}

export interface SvTasksTable {
  id: string;
  parent_id: string | null;
  source_kind: string;
  source_id: string | null;
  source_text: string;
  visit_id: string | null;
  project_id: string | null;
  title: string;
  standard: string;
  unit_id: string;
  issuer_user_id: string | null;
  issuer_name: string;
  deadline: string;
  urgency: string;
  cadence: string;
  state: string;
  requested_deadline: string | null;
  returns: Generated<number>;
  accepted_at: string | null;
  last_report_at: string | null;
  escalated_at: string | null;
  closed_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface SvTaskStepsTable {
  id: string;
  task_id: string;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  actor_name: string;
  opinion: string;
  /** JSON string[] */
  photo_ids: string;
  deadline_before: string | null;
  deadline_after: string | null;
  client_key: string | null;
  created_at: string;
}

export interface SvPhotosTable {
  id: string;
  unit_id: string;
  owner_kind: string;
  owner_id: string;
  mime: string;
  width: number;
  height: number;
  size: number;
  content_base64: string;
  taken_at: string | null;
  latitude: number | null;
  longitude: number | null;
  phash: string;
  /** An earlier photo this one is (nearly) the same picture as. */
  same_as_id: string | null;
  pair_role: string | null;
  uploaded_by: string;
  created_at: string;
}

export interface SvSettingsTable {
  id: string;
  body: string;
  updated_at: string;
}

// ---------- notifications ----------

export interface NtChannelsTable {
  id: string;
  name: string;
  kind: string;
  audience: string;
  unit_id: string | null;
  webhook_enc: string;
  secret_enc: string | null;
  webhook_hint: string;
  /** JSON string[] */
  muted_kinds: string;
  quiet_from: string | null;
  quiet_to: string | null;
  digest: number;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface NtOutboxTable {
  id: string;
  cause_key: string;
  kind: string;
  unit_id: string | null;
  title: string;
  markdown: string;
  link: string;
  /** JSON string[] */
  mention_user_ids: string;
  created_at: string;
}

export interface NtDeliveriesTable {
  id: string;
  outbox_id: string;
  channel_id: string;
  state: string;
  attempts: number;
  not_before: string;
  claimed_at: string | null;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface NtContactsTable {
  user_id: string;
  mobile: string | null;
  im_id: string | null;
  /** JSON string[] */
  muted_kinds: string;
  updated_at: string;
}

export interface ScheduledRunsTable {
  rule: string;
  window_key: string;
  ran_at: string;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  known_devices: KnownDevicesTable;
  tracks: TracksTable;
  units: UnitsTable;
  events: EventsTable;
  event_tracks: EventTracksTable;
  criteria: CriteriaTable;
  panels: PanelsTable;
  judges: JudgesTable;
  judge_affiliations: JudgeAffiliationsTable;
  invites: InvitesTable;
  report_templates: ReportTemplatesTable;
  report_required: ReportRequiredTable;
  reports: ReportsTable;
  report_revisions: ReportRevisionsTable;
  report_photos: ReportPhotosTable;
  report_logos: ReportLogosTable;
  slots: SlotsTable;
  score_entries: ScoreEntriesTable;
  audit_log: AuditLogTable;
  screen_tokens: ScreenTokensTable;
  framework_nodes: FrameworkNodesTable;
  indicators: IndicatorsTable;
  indicator_co_units: IndicatorCoUnitsTable;
  periods: PeriodsTable;
  actuals: ActualsTable;
  actual_revisions: ActualRevisionsTable;
  evidence_files: EvidenceFilesTable;
  rankings: RankingsTable;
  light_rules: LightRulesTable;
  lp_projects: LpProjectsTable;
  lp_milestones: LpMilestonesTable;
  lp_updates: LpUpdatesTable;
  sv_visits: SvVisitsTable;
  sv_instructions: SvInstructionsTable;
  sv_tasks: SvTasksTable;
  sv_task_steps: SvTaskStepsTable;
  sv_photos: SvPhotosTable;
  sv_settings: SvSettingsTable;
  nt_channels: NtChannelsTable;
  nt_outbox: NtOutboxTable;
  nt_deliveries: NtDeliveriesTable;
  nt_contacts: NtContactsTable;
  scheduled_runs: ScheduledRunsTable;
}

export type UserRow = Selectable<UsersTable>;
export type UnitRow = Selectable<UnitsTable>;
export type EventRow = Selectable<EventsTable>;
export type SlotRow = Selectable<SlotsTable>;
export type ScoreEntryRow = Selectable<ScoreEntriesTable>;
