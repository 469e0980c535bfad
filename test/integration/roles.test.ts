// Who may change what, over HTTP, on SQLite and PostgreSQL: every state-changing operation of the API
// (every POST, PUT, PATCH and DELETE of the served OpenAPI document) is tried by every kind of caller
// (organizer, the reporter of the unit concerned and of another unit, leader, observer, a judge and
// the big screen of the event concerned, and nobody signed in). A caller the table below does not
// allow must get 403 (401 when not signed in) and leave every table of the database as it was; an
// allowed caller must get through with the very same request, so a refusal is never a 404 or a 400
// in disguise. A new write operation fails the completeness test until it has a row in the table.

import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/kernel/schemas.ts';
import { emptyContent } from '../../src/modules/reports/domain/report.ts';
import { defaultTemplate } from '../../src/modules/reports/domain/template.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { writeWorkbook } from '../../src/platform/excel.ts';
import { SESSION_COOKIE } from '../../src/platform/http/app.ts';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import {
  anonymous,
  asJudge,
  asRole,
  type Client,
  clientFor,
  createTestApp,
  DEFAULT_PASSWORD,
  loginAs,
  type RequestOptions,
  request,
  seedUser,
  type TestApp,
  type TestResponse,
} from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

// ---------- callers ----------

const ACTORS = [
  'organizer',
  /** The reporter of the unit the object belongs to (for indicator data; any reporter elsewhere). */
  'reporter',
  /** A reporter of another unit. */
  'otherReporter',
  'leader',
  'observer',
  /** A judge of the event concerned (of the shared event for routes outside events). */
  'judge',
  /** The big screen of the event concerned. */
  'screen',
  'anonymous',
] as const;
type ActorName = (typeof ACTORS)[number];

/** The signed-in users among the callers, and their role. */
const USER_ROLES: Partial<Record<ActorName, Role>> = {
  organizer: 'organizer',
  reporter: 'reporter',
  otherReporter: 'reporter',
  leader: 'leader',
  observer: 'observer',
};
const USERS = Object.keys(USER_ROLES) as ActorName[];
const EVERYONE: ActorName[] = [...ACTORS];

// ---------- the shared world ----------

interface World {
  t: TestApp;
  clients: Record<Exclude<ActorName, 'judge' | 'screen'>, Client>;
  /** The shared event, its judge's and screen's sessions: the callers of routes outside events. */
  ev: EventFixture;
  judge: Client;
  screen: Client;
  ind: IndicatorFixture;
  /** Unique suffixes for codes and names. */
  next(): string;
}

/** What one route case needs set up once, before its attempts (fresh objects it may change). */
interface Setup {
  /** The judge and screen of this case's event, when it has its own. */
  judge?: Client;
  screen?: Client;
  // biome-ignore lint/suspicious/noExplicitAny: each case reads its own setup
  [key: string]: any;
}

interface Attempt {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  opts?: RequestOptions;
  /** Send as this client instead of the caller's usual one (a fresh session or user). */
  as?: Client;
}

interface RouteCase {
  /** Who gets through (200). Everyone else: 403, or 401 when signed out. */
  allowed: readonly ActorName[];
  setup?: (w: World) => Promise<Setup>;
  /** One or more requests per caller (variants of one operation, e.g. verify and return). */
  attempts: (w: World, s: Setup, actor: ActorName) => Promise<Attempt[]> | Attempt[];
  /**
   * Callers that pass the route's role check but whose request is refused row by row (the Excel
   * import of actuals): what they must get instead of 403. The database must stay unchanged too.
   */
  refusedInside?: Partial<Record<ActorName, (res: TestResponse) => void>>;
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x20), Buffer.from('%%EOF\n')]);

// ---------- helpers ----------

async function screenSessionFor(w: Pick<World, 't' | 'clients'>, eventId: string): Promise<Client> {
  const link = await w.clients.organizer.post(`/api/events/${eventId}/screen-tokens`, { label: '主屏' });
  expect(link.status, link.body).toBe(200);
  const token = new URL(link.json.url).searchParams.get('t');
  const res = await anonymous(w.t).post('/api/screen/session', { token });
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  expect(res.status, res.body).toBe(200);
  return clientFor(w.t.app, `${SESSION_COOKIE}=${cookie?.value}`);
}

/** A fresh event of its own, with a signed-in judge (judges[1], recused from nothing) and screen. */
async function ownEvent(w: World): Promise<Setup & { e: EventFixture }> {
  const e = await seedEventFixture(w.t.database, { unitsPerTrack: 2, judgesPerPanel: 2 });
  const judge = await asJudge(w.t, e.judges[1]!.token);
  const screen = await screenSessionFor(w, e.eventId);
  return { e, judge, screen };
}

/** A user made for one attempt, with the role of a signed-in caller, and its session. */
async function freshUserClient(w: World, actor: ActorName): Promise<Client> {
  const role = USER_ROLES[actor];
  if (!role) throw new Error(`${actor} is not a user`);
  const u = await seedUser(w.t.database, { role, unitId: role === 'reporter' ? w.ind.units[0]!.id : null });
  return clientFor(w.t.app, await loginAs(w.t.app, u.username, u.password));
}

async function openSlot(db: Kysely<DB>, e: EventFixture, slotIndex: number): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('slots')
    .set({ state: 'open', opened_at: now })
    .where('id', '=', e.slots[slotIndex]!.id)
    .execute();
  await db
    .updateTable('events')
    .set({ status: 'active', scoring_started: 1 })
    .where('id', '=', e.eventId)
    .execute();
}

async function closeAllSlots(db: Kysely<DB>, e: EventFixture): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('slots')
    .set({ state: 'closed', opened_at: now, closed_at: now })
    .where('event_id', '=', e.eventId)
    .execute();
  await db
    .updateTable('events')
    .set({ status: 'active', scoring_started: 1 })
    .where('id', '=', e.eventId)
    .execute();
}

async function download(c: Client, url: string): Promise<Buffer> {
  const res = await c.get(url);
  expect(res.status, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
  return res.raw;
}

/** The template with values typed in for some indicator codes (what a reporter does in Excel). */
async function filledTemplate(template: Buffer, values: Record<string, number>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = new Map<string, number>();
  ws.getRow(1).eachCell((c, col) => {
    header.set(String(c.value ?? ''), col);
  });
  const valueCol = header.get('本期实际');
  if (!valueCol) throw new Error('template without a 本期实际 column');
  let filled = 0;
  for (let r = 2; r <= ws.rowCount; r++) {
    const code = String(ws.getRow(r).getCell(1).value ?? '');
    if (code in values) {
      ws.getRow(r).getCell(valueCol).value = values[code]!;
      filled++;
    }
  }
  if (filled !== Object.keys(values).length) throw new Error('template lacks some indicator rows');
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The workbook without the data rows whose `column` is empty. */
async function withoutEmpty(file: Buffer, column: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  let col = 0;
  ws.getRow(1).eachCell((c, i) => {
    if (String(c.value ?? '') === column) col = i;
  });
  if (!col) throw new Error(`no ${column} column`);
  for (let r = ws.rowCount; r >= 2; r--) {
    if (String(ws.getRow(r).getCell(col).value ?? '') === '') ws.spliceRows(r, 1);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Creates something as the organizer for a delete to remove; answers its id. */
async function createdId(w: World, url: string, body: unknown): Promise<string> {
  const res = await w.clients.organizer.post(url, body);
  expect(res.status, res.body).toBe(200);
  return res.json.id as string;
}

const post = (url: string, body?: unknown, opts?: RequestOptions): Attempt => ({
  method: 'POST',
  url,
  body,
  opts,
});
const put = (url: string, body?: unknown): Attempt => ({ method: 'PUT', url, body });
const patch = (url: string, body?: unknown): Attempt => ({ method: 'PATCH', url, body });
const del = (url: string): Attempt => ({ method: 'DELETE', url });
const xlsx = (url: string, file: Buffer): Attempt => post(url, file);

let periodYears = 0;
/** The codes of the two indicators the actuals import fills in (for its refusal messages). */
let landCode = '';
let airCode = '';

const valuesOf = (e: EventFixture) => Object.fromEntries(e.criteria.map((c) => [c.id, c.maxPoints / 2]));

// ---------- the table: every write operation, who may do it ----------

const ORGANIZER = ['organizer'] as const;
/** Data of one unit: the organizer, or that unit's own reporter. */
const OWN_UNIT = ['organizer', 'reporter'] as const;

/** An own event whose first unit has a report in `status`, complete enough to be submitted. */
const withReport = (status: string) => async (w: World) => {
  const s = await ownEvent(w);
  const now = new Date().toISOString();
  await w.t.database.db
    .insertInto('report_templates')
    .values({
      event_id: s.e.eventId,
      body: JSON.stringify(defaultTemplate('晒拼')),
      period_key: '2023-Q2',
      deadline: null,
      updated_at: now,
    })
    .execute();
  await w.t.database.db
    .insertInto('reports')
    .values({
      id: `r-${s.e.eventId}`,
      event_id: s.e.eventId,
      unit_id: s.e.units[0]!.id,
      status,
      content: JSON.stringify({ ...emptyContent(), speaker: '局长' }),
      facts: status === 'draft' ? null : '[]',
      comments: null,
      version: status === 'draft' ? 0 : 1,
      submitted_at: null,
      reviewed_at: null,
      updated_by: 'test',
      updated_at: now,
    })
    .execute();
  return s;
};

// ---------- supervision helpers ----------

const supervisionTask = (w: World) => ({
  title: `督办${w.next()}`,
  standard: '按期完成',
  sourceKind: 'meeting',
  sourceText: '专题会议',
  unitId: w.ind.units[0]!.id,
  deadline: '2023-08-31',
});

/** A task issued by the office to the reporter's unit. */
async function issuedTask(w: World): Promise<string> {
  const res = await w.clients.organizer.post('/api/supervision/tasks', supervisionTask(w));
  expect(res.status, res.body).toBe(200);
  return res.json.id;
}

const supervisionProject = (w: World) => ({
  code: `P${w.next()}`,
  name: '东塔路道路建设工程',
  year: 2023,
  level: 'municipal',
  category: '交通',
  leadUnitId: w.ind.units[0]!.id,
  startDate: '2023-03-01',
  deadline: '2023-08-31',
  milestones: [{ title: '沥青摊铺', plannedDate: '2023-08-31' }],
});

async function createdProject(w: World, body: unknown): Promise<string> {
  const res = await w.clients.organizer.post('/api/supervision/projects', body);
  expect(res.status, res.body).toBe(200);
  return res.json.id;
}

const robotChannel = () => ({
  name: '督查室群',
  kind: 'wecom',
  audience: 'office',
  unitId: null,
  webhook: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=roles-test',
  mutedKinds: [],
  quietFrom: null,
  quietTo: null,
  digest: false,
  enabled: true,
});

async function createdChannel(w: World): Promise<string> {
  const res = await w.clients.organizer.post('/api/notifications/channels', robotChannel());
  expect(res.status, res.body).toBe(200);
  return res.json.id;
}

const ROUTES: Record<string, RouteCase> = {
  // ----- sign-in and sessions: public, or any signed-in user for their own password -----
  'POST /api/auth/login': {
    allowed: EVERYONE,
    setup: async (w) => ({ user: await seedUser(w.t.database, { role: 'leader' }) }),
    attempts: (_w, s) => [post('/api/auth/login', { username: s.user.username, password: s.user.password })],
  },
  'POST /api/auth/logout': {
    allowed: EVERYONE,
    // Each caller signs out a session of its own kind, opened for this attempt only.
    attempts: async (w, _s, actor) => {
      let as: Client;
      if (actor === 'anonymous') as = anonymous(w.t);
      else if (actor === 'judge') as = await asJudge(w.t, w.ev.judges[2]!.token);
      else if (actor === 'screen') as = await screenSessionFor(w, w.ev.eventId);
      else as = await freshUserClient(w, actor);
      return [{ ...post('/api/auth/logout'), as }];
    },
  },
  'POST /api/auth/password': {
    allowed: USERS,
    // Allowed callers change the password of a user made for the attempt, not of the shared ones.
    attempts: async (w, _s, actor) => {
      const body = { oldPassword: DEFAULT_PASSWORD, newPassword: 'Another-Strong-Pass-9' };
      if (!USERS.includes(actor)) return [post('/api/auth/password', body)];
      return [
        {
          ...post('/api/auth/password', body),
          as: await freshUserClient(w, actor),
        },
      ];
    },
  },
  'POST /api/judge/session': {
    allowed: EVERYONE,
    attempts: (w) => [post('/api/judge/session', { token: w.ev.judges[2]!.token })],
  },
  'POST /api/screen/session': {
    allowed: EVERYONE,
    setup: async (w) => {
      const link = await w.clients.organizer.post(`/api/events/${w.ev.eventId}/screen-tokens`, {
        label: '副屏',
      });
      return { token: new URL(link.json.url).searchParams.get('t') };
    },
    attempts: (_w, s) => [post('/api/screen/session', { token: s.token })],
  },

  // ----- accounts, tracks, units: the organizer -----
  'POST /api/users': {
    allowed: ORGANIZER,
    attempts: (w) => [
      post('/api/users', { username: `u${w.next()}`, displayName: '新用户', role: 'leader', unitId: null }),
    ],
  },
  'PATCH /api/users/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => ({ user: await seedUser(w.t.database, { role: 'observer' }) }),
    attempts: (_w, s) => [patch(`/api/users/${s.user.id}`, { displayName: '改过的名字' })],
  },
  'POST /api/users/{id}/reset-password': {
    allowed: ORGANIZER,
    setup: async (w) => ({ user: await seedUser(w.t.database, { role: 'observer' }) }),
    attempts: (_w, s) => [post(`/api/users/${s.user.id}/reset-password`)],
  },
  'POST /api/tracks': {
    allowed: ORGANIZER,
    attempts: (w) => [post('/api/tracks', { nameZh: `新组别${w.next()}`, nameEn: 'New' })],
  },
  'PATCH /api/tracks/{id}': {
    allowed: ORGANIZER,
    attempts: (w) => [patch(`/api/tracks/${w.ev.tracks[0]!.id}`, { sort: 7 })],
  },
  'POST /api/units': {
    allowed: ORGANIZER,
    attempts: (w) => {
      const n = w.next();
      return [post('/api/units', { code: `N${n}`, name: `新单位${n}`, kind: 'town' })];
    },
  },
  'PATCH /api/units/{id}': {
    allowed: ORGANIZER,
    attempts: (w) => [patch(`/api/units/${w.ev.units[0]!.id}`, { shortName: '简称' })],
  },
  'DELETE /api/units/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const n = w.next();
      return {
        unitId: await createdId(w, '/api/units', { code: `D${n}`, name: `待删单位${n}`, kind: 'street' }),
      };
    },
    attempts: (_w, s) => [del(`/api/units/${s.unitId}`)],
  },
  'POST /api/units/import': {
    allowed: ORGANIZER,
    // The export, less the units without a track (the import requires one).
    setup: async (w) => ({
      file: await withoutEmpty(await download(w.clients.organizer, '/api/units/export.xlsx'), '组别'),
    }),
    attempts: (_w, s) => [xlsx('/api/units/import', s.file)],
  },

  // ----- event setup: the organizer -----
  'POST /api/events': {
    allowed: ORGANIZER,
    attempts: (w) => [
      post('/api/events', { title: `新晒拼${w.next()}`, startDate: '2024-08-01', endDate: '2024-08-01' }),
    ],
  },
  'PATCH /api/events/{id}': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [patch(`/api/events/${s.e.eventId}`, { venue: '新会场' })],
  },
  'PUT /api/events/{id}/criteria': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/criteria`, {
        criteria: (s.e as EventFixture).criteria.map((c) => ({
          id: c.id,
          nameZh: `${c.nameZh}（改）`,
          maxPoints: c.maxPoints,
          step: c.step,
        })),
      }),
    ],
  },
  'PUT /api/events/{id}/panels': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/panels`, {
        panels: (s.e as EventFixture).panels.map((p) => ({
          id: p.id,
          name: `${p.name}（改）`,
          weight: p.weight,
        })),
      }),
    ],
  },
  'POST /api/events/{id}/judges': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      post(`/api/events/${s.e.eventId}/judges`, { name: '新评委', panelId: s.e.panels[0].id }),
    ],
  },
  'PATCH /api/events/{id}/judges/{judgeId}': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [patch(`/api/events/${s.e.eventId}/judges/${s.e.judges[2].id}`, { title: '主任' })],
  },
  'DELETE /api/events/{id}/judges/{judgeId}': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [del(`/api/events/${s.e.eventId}/judges/${s.e.judges[3].id}`)],
  },
  'POST /api/events/{id}/judges/import': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const s = await ownEvent(w);
      return {
        ...s,
        file: await download(w.clients.organizer, `/api/events/${s.e.eventId}/judges/export.xlsx`),
      };
    },
    attempts: (_w, s) => [xlsx(`/api/events/${s.e.eventId}/judges/import`, s.file)],
  },
  'POST /api/events/{id}/judges/{judgeId}/invite': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/judges/${s.e.judges[2].id}/invite`)],
  },
  'DELETE /api/events/{id}/judges/{judgeId}/invite': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [del(`/api/events/${s.e.eventId}/judges/${s.e.judges[3].id}/invite`)],
  },
  'PUT /api/events/{id}/agenda': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/agenda`, {
        slots: (s.e as EventFixture).slots.map((x) => ({
          unitId: x.unitId,
          trackId: x.trackId,
          timeLimitSec: 300,
        })),
      }),
    ],
  },
  'POST /api/events/{id}/agenda/draw': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/agenda/draw`, { seed: '抽签2024' })],
  },
  'PATCH /api/events/{id}/slots/{slotId}': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      patch(`/api/events/${s.e.eventId}/slots/${s.e.slots[0].id}`, { timeLimitSec: 600 }),
    ],
  },

  // ----- the event day: the organizer runs it, judges score -----
  'POST /api/events/{id}/slots/{slotId}/open': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/slots/${s.e.slots[1].id}/open`)],
  },
  'POST /api/events/{id}/slots/{slotId}/close': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const s = await ownEvent(w);
      await openSlot(w.t.database.db, s.e, 1);
      return s;
    },
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/slots/${s.e.slots[1].id}/close`)],
  },
  'POST /api/events/{id}/slots/{slotId}/reopen': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const s = await ownEvent(w);
      await closeAllSlots(w.t.database.db, s.e);
      return s;
    },
    attempts: (_w, s) => [
      post(`/api/events/${s.e.eventId}/slots/${s.e.slots[1].id}/reopen`, { reason: '复核' }),
    ],
  },
  'POST /api/events/{id}/slots/{slotId}/timer': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      post(`/api/events/${s.e.eventId}/slots/${s.e.slots[1].id}/timer`, { action: 'start' }),
    ],
  },
  'POST /api/events/{id}/current': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/current`, { slotId: s.e.slots[1].id })],
  },
  'PUT /api/events/{id}/screen/slide': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const s = await ownEvent(w);
      // Slides turn only for the slot on stage.
      await w.t.database.db
        .updateTable('events')
        .set({ current_slot_id: s.e.slots[0]!.id })
        .where('id', '=', s.e.eventId)
        .execute();
      return s;
    },
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/screen/slide`, { slotId: s.e.slots[0]!.id, index: 1 }),
    ],
  },
  'PATCH /api/events/{id}/screen': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [patch(`/api/events/${s.e.eventId}/screen`, { theme: 'neutral' })],
  },
  'POST /api/events/{id}/screen-tokens': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/screen-tokens`, { label: '侧屏' })],
  },
  'DELETE /api/events/{id}/screen-tokens/{tokenId}': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const s = await ownEvent(w);
      const link = await w.clients.organizer.post(`/api/events/${s.e.eventId}/screen-tokens`, {
        label: '备用屏',
      });
      expect(link.status, link.body).toBe(200);
      return { ...s, tokenId: link.json.id };
    },
    attempts: (_w, s) => [del(`/api/events/${s.e.eventId}/screen-tokens/${s.tokenId}`)],
  },
  'POST /api/judge/scores': {
    allowed: ['judge'],
    setup: async (w) => {
      const s = await ownEvent(w);
      await openSlot(w.t.database.db, s.e, 1);
      return s;
    },
    attempts: (_w, s) => [
      post('/api/judge/scores', { clientId: `c-${newId()}`, slotId: s.e.slots[1].id, values: valuesOf(s.e) }),
    ],
  },
  'POST /api/events/{id}/lock': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/lock`)],
  },
  'POST /api/events/{id}/reveal': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      post(`/api/events/${s.e.eventId}/reveal`, { trackId: s.e.tracks[0].id, confirmIncomplete: true }),
    ],
  },
  'POST /api/events/{id}/publish': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const s = await ownEvent(w);
      await closeAllSlots(w.t.database.db, s.e);
      return s;
    },
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/publish`)],
  },

  // ----- showcase reports: the organizer sets them up and reviews; the unit writes its own -----
  'PUT /api/events/{id}/reports/template': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/reports/template`, {
        template: defaultTemplate('晒拼'),
        periodKey: null,
        deadline: null,
      }),
    ],
  },
  'PUT /api/events/{id}/reports/template/logo': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: async (_w, s) => [
      put(
        `/api/events/${s.e.eventId}/reports/template/logo`,
        await sharp({ create: { width: 8, height: 4, channels: 3, background: '#c00' } })
          .png()
          .toBuffer(),
      ),
    ],
  },
  'DELETE /api/events/{id}/reports/template/logo': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [del(`/api/events/${s.e.eventId}/reports/template/logo`)],
  },
  'POST /api/events/{id}/reports/required-import': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: async (_w, s) => [
      post(
        `/api/events/${s.e.eventId}/reports/required-import`,
        await writeWorkbook([
          {
            name: '必晒内容',
            headers: ['单位', '类别', '事项'],
            rows: [[s.e.units[0]!.name, '必晒工作', '重点项目']],
          },
        ]),
      ),
    ],
  },
  'PUT /api/events/{id}/reports/{unitId}/required': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/reports/${s.e.units[0]!.id}/required`, { items: [] }),
    ],
  },
  'PUT /api/events/{id}/reports/{unitId}': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: (_w, s) => [
      put(`/api/events/${s.e.eventId}/reports/${s.e.units[0]!.id}`, { content: emptyContent() }),
    ],
  },
  'POST /api/events/{id}/reports/{unitId}/photos': {
    allowed: ORGANIZER,
    setup: ownEvent,
    attempts: async (_w, s) => [
      post(
        `/api/events/${s.e.eventId}/reports/${s.e.units[0]!.id}/photos`,
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
          .png()
          .toBuffer(),
      ),
    ],
  },
  'POST /api/events/{id}/reports/{unitId}/submit': {
    allowed: ORGANIZER,
    setup: withReport('draft'),
    attempts: (_w, s) => [post(`/api/events/${s.e.eventId}/reports/${s.e.units[0]!.id}/submit`)],
  },
  'POST /api/events/{id}/reports/{unitId}/review': {
    allowed: ORGANIZER,
    setup: withReport('submitted'),
    attempts: (_w, s) => [
      post(`/api/events/${s.e.eventId}/reports/${s.e.units[0]!.id}/review`, { decision: 'verify' }),
    ],
  },

  // ----- supervision: the office issues and verifies; the unit answers its own tasks -----
  'PUT /api/supervision/settings': {
    allowed: ORGANIZER,
    attempts: () => [
      put('/api/supervision/settings', {
        dueSoonDays: 3,
        escalateAfterDays: 2,
        reportGraceDays: 2,
        atRiskDays: 7,
      }),
    ],
  },
  'POST /api/supervision/tasks': {
    allowed: ORGANIZER,
    attempts: (w) => [post('/api/supervision/tasks', supervisionTask(w))],
  },
  'POST /api/supervision/tasks/{id}/steps': {
    allowed: ['reporter'],
    setup: async (w) => ({ task: await issuedTask(w) }),
    attempts: (_w, s) => [post(`/api/supervision/tasks/${s.task}/steps`, { action: 'accept' })],
  },
  'POST /api/supervision/tasks/{id}/photos': {
    allowed: ['reporter'],
    setup: async (w) => ({ task: await issuedTask(w) }),
    attempts: async (_w, s) => [
      post(
        `/api/supervision/tasks/${s.task}/photos`,
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0c0' } })
          .jpeg()
          .toBuffer(),
        { contentType: 'image/jpeg' },
      ),
    ],
  },
  'POST /api/supervision/visits': {
    allowed: ORGANIZER,
    attempts: () => [
      post('/api/supervision/visits', {
        title: '督查',
        visitDate: '2023-08-03',
        leaderName: '市长',
        instructions: [{ text: '抓紧推进' }],
      }),
    ],
  },
  'POST /api/supervision/projects': {
    allowed: ORGANIZER,
    attempts: (w) => [post('/api/supervision/projects', supervisionProject(w))],
  },
  'POST /api/supervision/projects/import': {
    allowed: ORGANIZER,
    attempts: async (w) => [
      post(
        '/api/supervision/projects/import',
        await writeWorkbook([
          {
            name: '工作清单',
            headers: ['项目编号', '项目名称', '年度', '级别', '类别', '牵头单位', '开始日期', '完成时限'],
            rows: [
              [
                `IMP${w.next()}`,
                '城市书房',
                2023,
                '市级',
                '文化',
                w.ind.units[0]!.name,
                '2023-03-01',
                '2023-12-31',
              ],
            ],
          },
        ]),
      ),
    ],
  },
  'PUT /api/supervision/projects/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const body = supervisionProject(w);
      return { body, project: await createdProject(w, body) };
    },
    attempts: (_w, s) => [put(`/api/supervision/projects/${s.project}`, { ...s.body, name: '改名后的项目' })],
  },
  'POST /api/supervision/projects/{id}/photos': {
    allowed: OWN_UNIT,
    setup: async (w) => ({ project: await createdProject(w, supervisionProject(w)) }),
    attempts: async (_w, s) => [
      post(
        `/api/supervision/projects/${s.project}/photos`,
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00c' } })
          .jpeg()
          .toBuffer(),
        { contentType: 'image/jpeg' },
      ),
    ],
  },
  'POST /api/supervision/projects/{id}/updates': {
    allowed: OWN_UNIT,
    setup: async (w) => ({ project: await createdProject(w, supervisionProject(w)) }),
    attempts: (_w, s) => [post(`/api/supervision/projects/${s.project}/updates`, { text: '完成路基' })],
  },
  'POST /api/supervision/updates/{id}/review': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const project = await createdProject(w, supervisionProject(w));
      const res = await w.clients.reporter.post(`/api/supervision/projects/${project}/updates`, {
        text: '完成路基',
      });
      expect(res.status, res.body).toBe(200);
      return { update: res.json.updates[0].id };
    },
    attempts: (_w, s) => [post(`/api/supervision/updates/${s.update}/review`, { decision: 'verify' })],
  },

  // ----- notifications: the office configures the robots; everyone their own @-handle -----
  'POST /api/notifications/channels': {
    allowed: ORGANIZER,
    attempts: () => [post('/api/notifications/channels', robotChannel())],
  },
  'PUT /api/notifications/channels/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => ({ channel: await createdChannel(w) }),
    attempts: (_w, s) => [
      put(`/api/notifications/channels/${s.channel}`, {
        ...robotChannel(),
        webhook: undefined,
        name: '改名',
      }),
    ],
  },
  'DELETE /api/notifications/channels/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => ({ channel: await createdChannel(w) }),
    attempts: (_w, s) => [del(`/api/notifications/channels/${s.channel}`)],
  },
  'POST /api/notifications/channels/{id}/test': {
    allowed: ORGANIZER,
    setup: async (w) => ({ channel: await createdChannel(w) }),
    attempts: (_w, s) => [post(`/api/notifications/channels/${s.channel}/test`)],
  },
  'POST /api/notifications/deliveries/{id}/retry': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const channel = await createdChannel(w);
      const now = new Date().toISOString();
      const outbox = newId();
      const delivery = newId();
      await w.t.database.db
        .insertInto('nt_outbox')
        .values({
          id: outbox,
          cause_key: `roles:${outbox}`,
          kind: 'test',
          unit_id: null,
          title: 't',
          markdown: 't',
          link: '/',
          mention_user_ids: '[]',
          created_at: now,
        })
        .execute();
      await w.t.database.db
        .insertInto('nt_deliveries')
        .values({
          id: delivery,
          outbox_id: outbox,
          channel_id: channel,
          state: 'failed',
          attempts: 8,
          not_before: now,
          created_at: now,
          last_error: 'HTTP 500',
        })
        .execute();
      return { delivery };
    },
    attempts: (_w, s) => [post(`/api/notifications/deliveries/${s.delivery}/retry`)],
  },
  'PUT /api/me/notify-contact': {
    allowed: USERS,
    attempts: () => [
      put('/api/me/notify-contact', { mobile: '13800000000', imId: null, mutedKinds: ['task_due_soon'] }),
    ],
  },

  // ----- indicators: the organizer sets them up -----
  'POST /api/framework': {
    allowed: ORGANIZER,
    attempts: (w) => {
      const n = w.next();
      return [
        post('/api/framework', { parentId: null, code: `FW${n}`, name: `新路径${n}`, kind: 'program' }),
      ];
    },
  },
  'PATCH /api/framework/{id}': {
    allowed: ORGANIZER,
    attempts: (w) => [patch(`/api/framework/${w.ind.tasks[0]!.id}`, { sort: 9 })],
  },
  'DELETE /api/framework/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const n = w.next();
      const body = { parentId: null, code: `DF${n}`, name: `待删路径${n}`, kind: 'program' };
      return { nodeId: await createdId(w, '/api/framework', body) };
    },
    attempts: (_w, s) => [del(`/api/framework/${s.nodeId}`)],
  },
  'POST /api/indicators': {
    allowed: ORGANIZER,
    attempts: (w) => {
      const n = w.next();
      return [post('/api/indicators', newIndicator(w, n))];
    },
  },
  'PATCH /api/indicators/{id}': {
    allowed: ORGANIZER,
    attempts: (w) => [patch(`/api/indicators/${w.ind.indicators.service.id}`, { sort: 8 })],
  },
  'DELETE /api/indicators/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => ({ indicatorId: await createdId(w, '/api/indicators', newIndicator(w, w.next())) }),
    attempts: (_w, s) => [del(`/api/indicators/${s.indicatorId}`)],
  },
  'POST /api/indicators/import': {
    allowed: ORGANIZER,
    setup: async (w) => ({
      file: await download(w.clients.organizer, '/api/indicators/export.xlsx?year=2023'),
    }),
    attempts: (_w, s) => [xlsx('/api/indicators/import', s.file)],
  },
  'POST /api/periods': {
    allowed: ORGANIZER,
    // A year of its own per attempt (2040 onwards: no fixture uses those).
    attempts: () => [post('/api/periods', { year: 2040 + periodYears++, frequency: 'quarterly' })],
  },
  'PATCH /api/periods/{key}': {
    allowed: ORGANIZER,
    attempts: () => [patch('/api/periods/2023-Q4', { graceDays: 6 })],
  },
  'POST /api/rankings': {
    allowed: ORGANIZER,
    attempts: (w) => [
      post('/api/rankings', {
        indicatorId: w.ind.indicators.land.id,
        scope: '全省',
        periodKey: '2023-Q2',
        rank: 3,
        outOf: 11,
      }),
    ],
  },
  'DELETE /api/rankings/{id}': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const body = { unitId: w.ind.units[1]!.id, scope: '全市', periodKey: '2023-Q1', rank: 5, outOf: 18 };
      return { rankingId: await createdId(w, '/api/rankings', body) };
    },
    attempts: (_w, s) => [del(`/api/rankings/${s.rankingId}`)],
  },
  'PUT /api/light-rules': {
    allowed: ORGANIZER,
    attempts: () => [put('/api/light-rules', { yellowWithinPoints: 5 })],
  },

  // ----- indicator actuals: the unit's own reporter (and the organizer) report, the organizer reviews -----
  'PUT /api/indicators/{id}/actuals/{key}': {
    allowed: OWN_UNIT,
    // A draft save and a submission: both writes of the same operation.
    attempts: (w) => [
      put(`/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q2`, { value: 600, note: '草稿' }),
      put(`/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q2`, {
        value: 620,
        note: '上报',
        submit: true,
      }),
    ],
  },
  'POST /api/indicators/{id}/actuals/{key}/evidence': {
    allowed: OWN_UNIT,
    setup: async (w) => {
      const res = await w.clients.organizer.put(
        `/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q3`,
        {
          value: 900,
        },
      );
      expect(res.status, res.body).toBe(200);
      return {};
    },
    attempts: (w) => [
      post(`/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q3/evidence`, PDF, {
        contentType: 'application/pdf',
        headers: { 'x-file-name': encodeURIComponent('佐证材料.pdf') },
      }),
    ],
  },
  'POST /api/indicators/actuals/import': {
    allowed: OWN_UNIT,
    setup: async (w) => {
      const template = await download(
        w.clients.organizer,
        `/api/indicators/template.xlsx?period=2023-Q4&unitId=${w.ind.units[0]!.id}`,
      );
      const { land, air } = w.ind.indicators;
      landCode = land.code;
      airCode = air.code;
      return { file: await filledTemplate(template, { [land.code]: 2000, [air.code]: 33 }) };
    },
    attempts: (_w, s) => [xlsx('/api/indicators/actuals/import?period=2023-Q4', s.file)],
    // Any reporter may upload a sheet; another unit's rows are refused one by one, none applied.
    refusedInside: {
      otherReporter: (res) => {
        expect(res.status, res.body).toBe(200);
        expect(res.json, res.body).toMatchObject({ applied: 0, unchanged: 0 });
        const refusedCodes = (res.json.errors as { message: string }[]).map((e) => e.message).join('\n');
        expect(refusedCodes).toContain(landCode);
        expect(refusedCodes).toContain(airCode);
      },
    },
  },
  'POST /api/indicators/{id}/actuals/{key}/review': {
    allowed: ORGANIZER,
    setup: async (w) => {
      const res = await w.clients.organizer.put(
        `/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q1`,
        {
          value: 500,
          submit: true,
        },
      );
      expect(res.status, res.body).toBe(200);
      return {};
    },
    // Verifying a submitted value, then returning it with a reason.
    attempts: (w) => [
      post(`/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q1/review`, { decision: 'verify' }),
      post(`/api/indicators/${w.ind.indicators.land.id}/actuals/2023-Q1/review`, {
        decision: 'return',
        reason: '口径有误',
      }),
    ],
  },
};

function newIndicator(w: World, n: string) {
  return {
    nodeId: w.ind.tasks[0]!.id,
    code: `NEW${n}`,
    name: `新指标${n}`,
    measure: '个',
    direction: 'higher',
    kind: 'cumulative',
    year: 2023,
    baseline: 0,
    target: 10,
    unitId: w.ind.units[0]!.id,
    frequency: 'quarterly',
  };
}

// ---------- the database, every table, as text ----------

async function tableNames(t: TestApp): Promise<string[]> {
  const db = t.database.db;
  if (t.database.kind === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
      db,
    );
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(
    db,
  );
  return rows.map((r) => r.name);
}

/** Every row of every table, as sorted JSON lines per table. */
async function dump(t: TestApp, tables: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      t.database.db,
    );
    out.set(
      name,
      rows
        .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
        .sort()
        .join('\n'),
    );
  }
  return out;
}

/** `METHOD /api/x/{id}` as a pattern that a concrete `METHOD /api/x/123` matches. */
function routePattern(method: string, path: string): RegExp {
  const parts = path.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${method} ${parts.join('[^/]+')}$`);
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((k) => before.get(k) !== after.get(k));
}

// ---------- the tests ----------

describe.each(dbKinds)('who may write, on %s', (kind) => {
  let w: World;
  let tables: string[];
  let writeOperations: string[];

  beforeAll(async () => {
    const t = await createTestApp(kind);
    let counter = 0;
    const ind = await seedIndicatorFixture(t.database);
    const ev = await seedEventFixture(t.database, { unitsPerTrack: 2, judgesPerPanel: 2 });
    const reporterClient = async (i: number) => {
      const u = ind.reporters[i]!;
      return clientFor(t.app, await loginAs(t.app, u.username, u.password));
    };
    const clients = {
      organizer: await asRole(t, 'organizer'),
      reporter: await reporterClient(0),
      otherReporter: await reporterClient(1),
      leader: await asRole(t, 'leader'),
      observer: await asRole(t, 'observer'),
      anonymous: anonymous(t),
    };
    const partial = { t, clients };
    w = {
      t,
      clients,
      ev,
      judge: await asJudge(t, ev.judges[1]!.token),
      screen: await screenSessionFor(partial, ev.eventId),
      ind,
      next: () => `${++counter}${Math.random().toString(36).slice(2, 6)}`,
    };
    tables = await tableNames(t);
    const doc = await anonymous(t).get('/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = JSON.parse(doc.body).paths as Record<string, Record<string, unknown>>;
    writeOperations = Object.entries(paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
  });
  afterAll(async () => {
    await w?.t.close();
  });

  it('has a row for every state-changing operation of the served API, and none for a missing one', () => {
    expect(writeOperations.length).toBeGreaterThan(40);
    const listed = Object.keys(ROUTES).sort();
    expect(
      writeOperations.filter((op) => !listed.includes(op)),
      'operations without a row in ROUTES (test/integration/roles.test.ts): say who may call them',
    ).toEqual([]);
    expect(
      listed.filter((op) => !writeOperations.includes(op)),
      'rows of ROUTES for operations the API does not serve',
    ).toEqual([]);
  });

  it('reaches every role a row allows at least once in the table', () => {
    // A table that allowed nobody but the organizer would prove little about the other roles.
    const allowedSomewhere = new Set(Object.values(ROUTES).flatMap((r) => r.allowed));
    expect([...allowedSomewhere].sort()).toEqual([...ACTORS].sort());
  });

  const clientOf = (actor: ActorName, s: Setup): Client => {
    if (actor === 'judge') return s.judge ?? w.judge;
    if (actor === 'screen') return s.screen ?? w.screen;
    return w.clients[actor];
  };
  const send = (actor: ActorName, s: Setup, a: Attempt): Promise<TestResponse> =>
    request(w.t.app, a.method, a.url, a.body, { ...a.opts, cookie: (a.as ?? clientOf(actor, s)).cookie });

  it.each(Object.keys(ROUTES))(
    '%s: refused callers get 403 (401 signed out) and change nothing; allowed ones get through',
    async (key) => {
      const route = ROUTES[key]!;
      const [method, path] = key.split(' ') as [Attempt['method'], string];
      const s = route.setup ? await route.setup(w) : {};
      const problems: string[] = [];
      const refused = ACTORS.filter((a) => !route.allowed.includes(a));

      // Refused callers first, on a database that must stay exactly as it is.
      const prepared = new Map<ActorName, Attempt[]>();
      for (const actor of refused) prepared.set(actor, await route.attempts(w, s, actor));
      let before = await dump(w.t, tables);
      for (const actor of refused) {
        for (const attempt of prepared.get(actor)!) {
          // The request is the operation of this row, not a neighbour's.
          expect(`${attempt.method} ${attempt.url.split('?')[0]}`, key).toMatch(routePattern(method, path));
          const res = await send(actor, s, attempt);
          const inside = route.refusedInside?.[actor];
          if (inside) {
            try {
              inside(res);
            } catch (e) {
              problems.push(`${actor}: ${(e as Error).message}`);
            }
          } else {
            const expected = actor === 'anonymous' ? [401, 'unauthenticated'] : [403, 'forbidden'];
            if (res.status !== expected[0] || res.json?.code !== expected[1])
              problems.push(
                `${actor}: expected ${expected.join(' ')}, got ${res.status} ${res.body.slice(0, 160)}`,
              );
          }
          const after = await dump(w.t, tables);
          const changed = changedTables(before, after);
          if (changed.length > 0) {
            problems.push(`${actor}: changed ${changed.join(', ')}`);
            // The next caller is compared with what this one left: each report names its own change.
            before = after;
          }
        }
      }

      // The same requests from allowed callers get through: the refusals above were about the caller.
      for (const actor of route.allowed) {
        for (const attempt of await route.attempts(w, s, actor)) {
          const res = await send(actor, s, attempt);
          if (res.status !== 200)
            problems.push(`${actor} (allowed): expected 200, got ${res.status} ${res.body.slice(0, 200)}`);
        }
      }
      expect(problems, key).toEqual([]);
    },
  );

  it('observers and leaders cannot save, submit, upload evidence for, import, verify or return actuals', async () => {
    const { land } = w.ind.indicators;
    const org = w.clients.organizer;
    // A submitted actual to review, a draft to attach evidence to, a filled template to upload.
    expect(
      (await org.put(`/api/indicators/${land.id}/actuals/2023-Q1`, { value: 510, submit: true })).status,
    ).toBe(200);
    const template = await download(
      org,
      `/api/indicators/template.xlsx?period=2023-Q2&unitId=${w.ind.units[0]!.id}`,
    );
    const file = await filledTemplate(template, { [land.code]: 1234 });
    const watched = ['actuals', 'actual_revisions', 'evidence_files', 'audit_log'].filter((n) =>
      tables.includes(n),
    );
    expect(watched).toEqual(expect.arrayContaining(['actuals', 'actual_revisions', 'evidence_files']));
    const before = await dump(w.t, watched);
    const base = `/api/indicators/${land.id}/actuals`;
    for (const actor of ['observer', 'leader'] as const) {
      const c = w.clients[actor];
      const answers = {
        save: await c.put(`${base}/2023-Q1`, { value: 1 }),
        submit: await c.put(`${base}/2023-Q1`, { value: 1, submit: true }),
        evidence: await c.post(`${base}/2023-Q1/evidence`, PDF, { contentType: 'application/pdf' }),
        import: await c.post('/api/indicators/actuals/import?period=2023-Q2', file),
        verify: await c.post(`${base}/2023-Q1/review`, { decision: 'verify' }),
        return: await c.post(`${base}/2023-Q1/review`, { decision: 'return', reason: '不对' }),
      };
      for (const [what, res] of Object.entries(answers)) {
        expect([res.status, res.json?.code], `${actor} ${what}: ${res.body}`).toEqual([403, 'forbidden']);
      }
    }
    expect(changedTables(before, await dump(w.t, watched))).toEqual([]);
    // Still as the organizer left it: submitted, at 510, with no evidence.
    const [actual] = (await org.get(`/api/indicators/${land.id}/actuals`)).json.filter(
      (a: { periodKey: string }) => a.periodKey === '2023-Q1',
    );
    expect(actual).toMatchObject({ status: 'submitted', value: 510, evidence: [] });
  });

  it('a co-unit reads an indicator it shares but cannot write its actuals', async () => {
    // investment belongs to units[1]; units[0] (reporters[0]) is a co-unit.
    const { investment } = w.ind.indicators;
    const coUnit = w.clients.reporter;
    expect((await coUnit.get(`/api/indicators/${investment.id}`)).status).toBe(200);
    const res = await coUnit.put(`/api/indicators/${investment.id}/actuals/2023-Q2`, { value: 50 });
    expect([res.status, res.json?.code]).toEqual([403, 'forbidden']);
    const own = await w.clients.otherReporter.put(`/api/indicators/${investment.id}/actuals/2023-Q2`, {
      value: 50,
    });
    expect(own.status, own.body).toBe(200);
  });
});
