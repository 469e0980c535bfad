// The supervision rules without a server: every allowed and every forbidden step of a task by each
// kind of actor, deadline lights and escalation in China time, project status (first match wins) and
// progress (property tests), the handling score, and the robots' signing, answers and quiet hours.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate } from '../../src/kernel/schemas.ts';
import { plainText } from '../../src/modules/notifications/domain/notices.ts';
import {
  afterQuietHours,
  dingtalkSign,
  feishuSign,
  retryDelayMs,
  robotOutcome,
  robotRequest,
} from '../../src/modules/notifications/domain/robots.ts';
import { type ChannelRow, fanOut } from '../../src/modules/notifications/outbox.ts';
import {
  dayOf,
  dayOfDate,
  nextReportDue,
  overdueDays,
  reportMissing,
  shouldEscalate,
  taskLight,
} from '../../src/modules/supervision/domain/deadlines.ts';
import { handlingScore } from '../../src/modules/supervision/domain/handling.ts';
import {
  type MilestoneFacts,
  projectProgress,
  projectStatus,
  updateMissing,
} from '../../src/modules/supervision/domain/projects.ts';
import {
  decideTaskStep,
  TASK_ACTIONS,
  TASK_STATES,
  type TaskAction,
  type TaskState,
  taskActionsFor,
  taskParties,
} from '../../src/modules/supervision/domain/task-workflow.ts';

// ---------- the task state machine, by role ----------

/** The actors a task meets, as the facts the rule sees. The task is unit U's, issued by leader L. */
const actors = {
  'reporter of the unit': { role: 'reporter', userId: 'r1', unitId: 'U' },
  'reporter of another unit': { role: 'reporter', userId: 'r2', unitId: 'V' },
  organizer: { role: 'organizer', userId: 'o1', unitId: null },
  'the issuing leader': { role: 'leader', userId: 'L', unitId: null },
  'another leader': { role: 'leader', userId: 'L2', unitId: null },
  observer: { role: 'observer', userId: 'b1', unitId: null },
} as const;
const task = { unitId: 'U', issuerUserId: 'L' };

const HANDLER = ['reporter of the unit'];
const ISSUER = ['organizer', 'the issuing leader'];
// Every allowed step, written out by hand: anything not listed here must be refused.
const allowed: Record<string, { to: TaskState; by: string[] }> = {
  'issued accept': { to: 'accepted', by: HANDLER },
  'accepted report_progress': { to: 'in_progress', by: HANDLER },
  'in_progress report_progress': { to: 'in_progress', by: HANDLER },
  'accepted submit': { to: 'submitted', by: HANDLER },
  'in_progress submit': { to: 'submitted', by: HANDLER },
  'accepted request_extension': { to: 'extension_requested', by: HANDLER },
  'in_progress request_extension': { to: 'extension_requested', by: HANDLER },
  'submitted verify': { to: 'closed', by: ISSUER },
  'submitted return': { to: 'in_progress', by: ISSUER },
  'extension_requested approve_extension': { to: 'in_progress', by: ISSUER },
  'extension_requested refuse_extension': { to: 'in_progress', by: ISSUER },
};

describe('the task state machine', () => {
  const input = (action: TaskAction) => ({ action, opinion: 'reason given', newDeadline: '2023-09-30' });
  for (const state of TASK_STATES)
    for (const action of TASK_ACTIONS)
      for (const [who, facts] of Object.entries(actors)) {
        const rule = allowed[`${state} ${action}`];
        const ok = rule?.by.includes(who) ?? false;
        it(ok ? `${state}: ${who} may ${action} → ${rule?.to}` : `${state}: ${who} may not ${action}`, () => {
          const outcome = decideTaskStep(
            { state, deadline: '2023-08-31', openSubtasks: 0 },
            taskParties(facts, task),
            input(action),
          );
          if (ok) expect(outcome).toEqual({ ok: true, to: rule?.to });
          else expect(outcome).toEqual({ ok: false, refusal: rule ? 'party' : 'state' });
          expect(taskActionsFor(state, taskParties(facts, task)).includes(action)).toBe(ok);
        });
      }

  it('the unit that answers can never close its own task, from any state', () => {
    for (const state of TASK_STATES)
      expect(
        decideTaskStep({ state, deadline: '2023-08-31', openSubtasks: 0 }, ['handler'], input('verify')).ok,
      ).toBe(false);
  });
  it('a return, a refusal and an extension request need a reason', () => {
    const ctx = (state: TaskState) => ({ state, deadline: '2023-08-31', openSubtasks: 0 });
    const blank = (action: TaskAction) => ({ action, opinion: '  ', newDeadline: '2023-09-30' });
    expect(decideTaskStep(ctx('submitted'), ['issuer'], blank('return'))).toEqual({
      ok: false,
      refusal: 'reason',
    });
    expect(decideTaskStep(ctx('extension_requested'), ['issuer'], blank('refuse_extension'))).toEqual({
      ok: false,
      refusal: 'reason',
    });
    expect(decideTaskStep(ctx('in_progress'), ['handler'], blank('request_extension'))).toEqual({
      ok: false,
      refusal: 'reason',
    });
    expect(decideTaskStep(ctx('submitted'), ['issuer'], blank('verify'))).toEqual({ ok: true, to: 'closed' });
    expect(decideTaskStep(ctx('extension_requested'), ['issuer'], blank('approve_extension')).ok).toBe(true);
  });
  it('an extension asks for a later date; a task with open sub-tasks is not closed', () => {
    const ext = (newDeadline: string | null) =>
      decideTaskStep({ state: 'in_progress', deadline: '2023-08-31', openSubtasks: 0 }, ['handler'], {
        action: 'request_extension',
        opinion: '雨季',
        newDeadline,
      });
    expect(ext('2023-08-31')).toEqual({ ok: false, refusal: 'extension_date' });
    expect(ext(null)).toEqual({ ok: false, refusal: 'extension_date' });
    expect(ext('2023-09-15')).toEqual({ ok: true, to: 'extension_requested' });
    expect(
      decideTaskStep(
        { state: 'submitted', deadline: '2023-08-31', openSubtasks: 1 },
        ['issuer'],
        input('verify'),
      ),
    ).toEqual({ ok: false, refusal: 'subtasks_open' });
  });
});

// ---------- deadlines ----------

describe('deadline lights, in China time', () => {
  const at = (iso: string) => Date.parse(iso);
  const open = { state: 'in_progress', deadline: '2023-08-31' };
  const settings = { dueSoonDays: 3, escalateAfterDays: 2 };
  it('is green before, yellow within 3 days (the deadline day included), red the day after', () => {
    expect(taskLight(open, at('2023-08-27T15:59:59Z'), settings)).toBe('green'); // 27 Aug 23:59 in China
    expect(taskLight(open, at('2023-08-27T16:00:00Z'), settings)).toBe('yellow'); // 28 Aug 00:00
    expect(taskLight(open, at('2023-08-31T15:59:59Z'), settings)).toBe('yellow'); // 31 Aug 23:59
    expect(taskLight(open, at('2023-08-31T16:00:00Z'), settings)).toBe('red'); // 1 Sep 00:00
    expect(taskLight({ ...open, state: 'closed' }, at('2023-09-30T00:00:00Z'), settings)).toBe('closed');
  });
  it('counts overdue days up to closing, and escalates once after the delay', () => {
    expect(overdueDays({ ...open, closedAt: null }, at('2023-09-03T02:00:00Z'))).toBe(3);
    expect(
      overdueDays({ ...open, state: 'closed', closedAt: '2023-09-01T02:00:00Z' }, at('2023-12-01T00:00:00Z')),
    ).toBe(1);
    expect(shouldEscalate({ ...open, escalatedAt: null }, at('2023-09-01T02:00:00Z'), settings)).toBe(false);
    expect(shouldEscalate({ ...open, escalatedAt: null }, at('2023-09-02T02:00:00Z'), settings)).toBe(true);
    expect(
      shouldEscalate({ ...open, escalatedAt: '2023-09-02T02:00:00Z' }, at('2023-09-05T02:00:00Z'), settings),
    ).toBe(false);
  });
  it('expects periodic reports at their cadence, missing after the grace days', () => {
    const long = {
      state: 'in_progress',
      cadence: 'weekly' as const,
      acceptedAt: '2023-08-03T02:00:00Z',
      lastReportAt: null,
    };
    expect(nextReportDue(long)).toBe('2023-08-10');
    expect(nextReportDue({ ...long, lastReportAt: '2023-08-09T02:00:00Z' })).toBe('2023-08-16');
    expect(nextReportDue({ ...long, cadence: 'none' })).toBeNull();
    expect(nextReportDue({ ...long, state: 'submitted' })).toBeNull();
    expect(reportMissing('2023-08-10', at('2023-08-12T02:00:00Z'), 2)).toBe(false);
    expect(reportMissing('2023-08-10', at('2023-08-13T02:00:00Z'), 2)).toBe(true);
  });
});

// ---------- projects ----------

describe('project status, first match wins', () => {
  const today = dayOfDate('2023-08-03');
  const m = (plannedDate: string, doneDate: string | null = null, weight = 1): MilestoneFacts => ({
    plannedDate,
    doneDate,
    weight,
  });
  it('done, overdue, at risk, not started, on track', () => {
    expect(
      projectStatus([m('2023-07-01', '2023-07-01'), m('2023-08-31', '2023-08-02')], null, today, 7),
    ).toBe('done');
    expect(projectStatus([m('2023-08-02'), m('2023-08-31', '2023-07-30')], null, today, 7)).toBe('overdue');
    expect(projectStatus([m('2023-08-10'), m('2023-07-01', '2023-07-01')], null, today, 7)).toBe('at_risk');
    expect(projectStatus([m('2023-08-03')], null, today, 7)).toBe('at_risk');
    expect(projectStatus([m('2023-09-30')], null, today, 7)).toBe('not_started');
    expect(projectStatus([m('2023-07-01', '2023-07-01'), m('2023-09-30')], null, today, 7)).toBe('on_track');
    expect(projectStatus([m('2023-09-30')], { value: 1, reason: '提前完工' }, today, 7)).toBe('done');
  });
  it('flags a unit that missed its reporting interval after the grace days', () => {
    const start = dayOfDate('2023-06-01');
    expect(updateMissing('monthly', null, start, start + 32, 2)).toBe(false);
    expect(updateMissing('monthly', null, start, start + 33, 2)).toBe(true);
    expect(updateMissing('weekly', start + 20, start, start + 29, 2)).toBe(false);
    expect(updateMissing('weekly', start + 20, start, start + 30, 2)).toBe(true);
  });
});

describe('project progress (properties)', () => {
  const milestone = fc.record({
    plannedDate: fc.constantFrom('2023-06-30', '2023-08-31', '2023-12-31'),
    done: fc.boolean(),
    weight: fc.integer({ min: 1, max: 100 }),
  });
  const toFacts = (ms: { plannedDate: string; done: boolean; weight: number }[]) =>
    ms.map((x) => ({ plannedDate: x.plannedDate, doneDate: x.done ? '2023-08-01' : null, weight: x.weight }));
  it('is between 0 and 1, and 1 exactly when every milestone is done', () => {
    fc.assert(
      fc.property(fc.array(milestone, { minLength: 1, maxLength: 30 }), (ms) => {
        const p = projectProgress(toFacts(ms), null);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(p === 1).toBe(ms.every((x) => x.done));
        expect(p === 0).toBe(ms.every((x) => !x.done));
      }),
    );
  });
  it('does not depend on the milestones’ order, and grows when one more is done', () => {
    fc.assert(
      fc.property(fc.array(milestone, { minLength: 1, maxLength: 30 }), fc.nat(), (ms, pick) => {
        const facts = toFacts(ms);
        const p = projectProgress(facts, null);
        expect(projectProgress([...facts].reverse(), null)).toBeCloseTo(p, 12);
        const i = pick % ms.length;
        const more = facts.map((f, j) => (j === i ? { ...f, doneDate: '2023-08-02' } : f));
        const q = projectProgress(more, null);
        if (facts[i]?.doneDate) expect(q).toBeCloseTo(p, 12);
        else expect(q).toBeGreaterThan(p);
      }),
    );
  });
  it('takes a manual value when one is given, whatever the milestones say', () => {
    fc.assert(
      fc.property(
        fc.array(milestone, { maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ms, v) => {
          expect(projectProgress(toFacts(ms), { value: v, reason: '按投资额' })).toBe(v);
        },
      ),
    );
  });
});

describe('the handling score', () => {
  it('is 100 × on-time rate − 2 per return − 0.5 per overdue day, never below 0, none without tasks', () => {
    expect(handlingScore([])).toEqual({ onTimeRate: null, score: null });
    expect(handlingScore([{ closedOnTime: true, returns: 0, overdueDays: 0 }])).toEqual({
      onTimeRate: 1,
      score: 100,
    });
    expect(
      handlingScore([
        { closedOnTime: true, returns: 1, overdueDays: 0 },
        { closedOnTime: false, returns: 0, overdueDays: 3 },
      ]),
    ).toEqual({ onTimeRate: 0.5, score: 46.5 });
    expect(handlingScore([{ closedOnTime: false, returns: 40, overdueDays: 90 }]).score).toBe(0);
  });
});

// ---------- robots ----------

describe('the robots', () => {
  const message = {
    title: '新督办事项',
    markdown: '#### 新督办事项',
    mentionMobiles: ['13800000000'],
    mentionIds: ['zhangsan'],
  };
  it('signs DingTalk as its documentation does: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret', () => {
    const secret = 'SEC0123';
    const ts = 1690000000000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(dingtalkSign(secret, ts)).toBe(expected);
    const req = robotRequest(
      'dingtalk',
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
      secret,
      message,
      ts,
    );
    const url = new URL(req.url);
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(ts));
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(JSON.parse(req.body)).toEqual({
      msgtype: 'markdown',
      markdown: { title: '新督办事项', text: '#### 新督办事项\n\n@13800000000' },
      at: { atMobiles: ['13800000000'], isAtAll: false },
    });
  });
  it('signs Feishu with the key "timestamp\\nsecret" over nothing, in seconds, and @s by id', () => {
    const ts = 1690000000;
    expect(feishuSign('s3', ts)).toBe(createHmac('sha256', `${ts}\ns3`).update('').digest('base64'));
    const body = JSON.parse(
      robotRequest('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/x', 's3', message, ts * 1000).body,
    );
    expect(body).toMatchObject({
      timestamp: String(ts),
      sign: feishuSign('s3', ts),
      msg_type: 'interactive',
    });
    expect(body.card.elements[0].content).toContain('<at id=zhangsan></at>');
  });
  it('writes WeCom markdown with <@userid> mentions and no signature', () => {
    const req = robotRequest(
      'wecom',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
      null,
      message,
      0,
    );
    expect(req.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k');
    expect(JSON.parse(req.body)).toEqual({
      msgtype: 'markdown',
      markdown: { content: '#### 新督办事项\n<@zhangsan>' },
    });
  });
  it('reads their answers: sent, too fast (not a failure), refused', () => {
    expect(robotOutcome(200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ kind: 'sent' });
    expect(robotOutcome(200, '{"code":0,"msg":"success"}')).toEqual({ kind: 'sent' });
    expect(robotOutcome(200, '{"errcode":130101,"errmsg":"send too fast"}')).toEqual({
      kind: 'rate_limited',
    });
    expect(robotOutcome(200, '{"errcode":45009}')).toEqual({ kind: 'rate_limited' });
    expect(robotOutcome(200, '{"code":11232}')).toEqual({ kind: 'rate_limited' });
    expect(robotOutcome(429, '')).toEqual({ kind: 'rate_limited' });
    expect(robotOutcome(200, '{"errcode":310000,"errmsg":"sign not match"}')).toMatchObject({
      kind: 'failed',
      error: expect.stringContaining('310000'),
    });
    expect(robotOutcome(502, '<html>')).toMatchObject({ kind: 'failed' });
    expect(robotOutcome(200, 'ok')).toMatchObject({ kind: 'failed' });
  });
  it('backs off 30 s, 1 min, 2 min … up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });
  it('holds messages in quiet hours until they end, across midnight', () => {
    const quiet = { from: '22:00', to: '07:30' };
    const cn = (s: string) => Date.parse(`${s}+08:00`);
    expect(afterQuietHours(cn('2023-08-03T21:59:00'), quiet)).toBe(cn('2023-08-03T21:59:00'));
    expect(afterQuietHours(cn('2023-08-03T22:00:00'), quiet)).toBe(cn('2023-08-04T07:30:00'));
    expect(afterQuietHours(cn('2023-08-04T03:00:00'), quiet)).toBe(cn('2023-08-04T07:30:00'));
    expect(afterQuietHours(cn('2023-08-04T07:30:00'), quiet)).toBe(cn('2023-08-04T07:30:00'));
    expect(afterQuietHours(cn('2023-08-04T12:30:00'), { from: '12:00', to: '14:00' })).toBe(
      cn('2023-08-04T14:00:00'),
    );
  });
  it('sends a notice to the groups of its audience, muted and digest groups as they asked', () => {
    const ch = (id: string, o: Partial<ChannelRow>): ChannelRow => ({
      id,
      audience: 'unit',
      unit_id: 'U',
      muted_kinds: '[]',
      quiet_from: null,
      quiet_to: null,
      digest: 0,
      ...o,
    });
    const channels = [
      ch('u', {}),
      ch('v', { unit_id: 'V' }),
      ch('office', { audience: 'office', unit_id: null }),
      ch('muted', { muted_kinds: '["task_due_soon"]' }),
      ch('digest', { digest: 1 }),
    ];
    const out = fanOut({ kind: 'task_due_soon', unitId: 'U', audiences: ['unit'] }, channels, 0);
    expect(out.map((o) => `${o.channelId}:${o.state}`)).toEqual([
      'u:pending',
      'muted:muted',
      'digest:digest',
    ]);
    expect(
      fanOut({ kind: 'task_submitted', unitId: 'U', audiences: ['office'] }, channels, 0).map(
        (o) => o.channelId,
      ),
    ).toEqual(['office']);
  });
});

it('reads day numbers where the government sits', () => {
  expect(dayOf(Date.parse('2023-08-03T15:59:59Z'))).toBe(dayOfDate('2023-08-03'));
  expect(dayOf(Date.parse('2023-08-03T16:00:00Z'))).toBe(dayOfDate('2023-08-04'));
});

describe('plain text in group messages, and real dates', () => {
  it('turns markup people type into full-width characters that read the same', () => {
    expect(plainText('看[这里](http://x) @all <at id=all></at>')).toBe(
      '看［这里］（http://x） ＠all ＜at id=all＞＜/at＞',
    );
    expect(plainText('东塔路8月底前通车')).toBe('东塔路8月底前通车');
  });
  it('refuses dates that do not exist', () => {
    expect(isoDate.safeParse('2026-02-28').success).toBe(true);
    expect(isoDate.safeParse('2024-02-29').success).toBe(true);
    for (const d of ['2026-02-30', '2026-99-99', '2026-13-01', '2026-1-1'])
      expect(isoDate.safeParse(d).success, d).toBe(false);
  });
});
