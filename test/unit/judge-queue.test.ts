// The judge's outbox (web/judge/queue.ts) and the phone's decimal arithmetic (web/judge/decimal.ts),
// with fake fetch, storage and clock: a score the judge submitted is never lost, never doubled.
import { describe, expect, it } from 'vitest';
import {
  checkValue,
  formatNumber,
  formatScaled,
  fromNumber,
  parseDecimal,
  stepValue,
  sumScaled,
} from '../../web/judge/decimal.ts';
import {
  backoffDelay,
  type Clock,
  classifyResponse,
  type FetchLike,
  newClientId,
  type StorageLike,
  SubmissionQueue,
  slotStatus,
  storageKey,
} from '../../web/judge/queue.ts';

// ---------- fakes ----------

function fakeStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

function fakeClock(start = Date.parse('2025-05-01T08:00:00.000Z')) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      seq += 1;
      timers.set(seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  return {
    clock,
    /** Moves time forward, firing due timers in order and letting the promises they start settle. */
    async advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flush();
      }
      now = target;
    },
    /** Delays of the timers still scheduled, relative to now. */
    scheduled: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
  };
}

type Reply = { status: number; body: unknown } | 'network-error' | 'hang';

interface Call {
  url: string;
  clientId: string;
  slotId: string;
  values: Record<string, number>;
  headers: Record<string, string>;
}

function fakeFetch(replies: Reply[]) {
  const calls: Call[] = [];
  let fallback: Reply | ((call: Call) => Reply) = 'network-error';
  const fetch: FetchLike = (url, init) => {
    const body = JSON.parse(init.body) as {
      clientId: string;
      slotId: string;
      values: Record<string, number>;
    };
    const call = { url, ...body, headers: init.headers };
    calls.push(call);
    const reply = replies.shift() ?? (typeof fallback === 'function' ? fallback(call) : fallback);
    if (reply === 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
    if (reply === 'hang') {
      return new Promise((_, reject) => {
        init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return Promise.resolve({
      status: reply.status,
      text: async () => (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)),
    });
  };
  return {
    fetch,
    calls,
    setFallback: (r: Reply | ((call: Call) => Reply)) => {
      fallback = r;
    },
  };
}

function ok(slotId: string, total: number, version: number, extra: Partial<Record<string, unknown>> = {}) {
  return {
    status: 200,
    body: {
      entryId: `e-${version}`,
      slotId,
      total,
      version,
      duplicate: false,
      createdAt: '2025-05-01T08:00:05.000Z',
      ...extra,
    },
  };
}

const slotClosed = {
  status: 409,
  body: { code: 'slot_closed', message: '该单位的评分已结束，本次提交未计入（已记录备查）' },
};

let ids = 0;
function setup(replies: Reply[], opts: { storage?: ReturnType<typeof fakeStorage>; judgeId?: string } = {}) {
  const storage = opts.storage ?? fakeStorage();
  const time = fakeClock();
  const net = fakeFetch(replies);
  const make = (judgeId = opts.judgeId ?? 'judge-1') =>
    new SubmissionQueue({
      fetch: net.fetch,
      storage,
      clock: time.clock,
      judgeId,
      newId: () => `client-${++ids}`,
      locale: () => 'zh-CN',
    });
  return { storage, time, net, make };
}

const A = { c1: 27.5, c2: 65 };

// ---------- the outbox ----------

describe('judge outbox', () => {
  it('backs off 1 s, 2 s, 4 s, 8 s, then every 15 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(backoffDelay)).toEqual([
      1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000,
    ]);
  });

  it('stores the submission before sending it', async () => {
    const { storage, net, make } = setup(['hang']);
    const q = make();
    q.start();
    const item = q.submit('slot-1', A, '92.5');
    const stored = JSON.parse(storage.data.get(storageKey('judge-1')) ?? 'null');
    expect(stored.pending).toEqual([
      expect.objectContaining({ clientId: item.clientId, slotId: 'slot-1', values: A }),
    ]);
    await flush();
    expect(net.calls).toHaveLength(1);
    expect(net.calls[0]).toMatchObject({
      url: '/api/judge/scores',
      clientId: item.clientId,
      slotId: 'slot-1',
      values: A,
    });
    expect(net.calls[0]?.headers['accept-language']).toBe('zh-CN');
  });

  it('marks a submission confirmed with the total and version from the server', async () => {
    const { net, make } = setup([ok('slot-1', 92.5, 1)]);
    const q = make();
    q.start();
    q.submit('slot-1', A, '92.5');
    await flush();
    const s = q.snapshot();
    expect(net.calls).toHaveLength(1);
    expect(s.pending).toEqual([]);
    expect(s.phase).toBe('idle');
    expect(s.confirmed['slot-1']).toMatchObject({ total: 92.5, version: 1, entryId: 'e-1', values: A });
  });

  it('retries a failed send with the same clientId on the backoff schedule until it is confirmed', async () => {
    const { time, net, make } = setup([
      'network-error',
      'network-error',
      'network-error',
      ok('slot-1', 92.5, 1),
    ]);
    const q = make();
    q.start();
    const item = q.submit('slot-1', A, '92.5');
    await flush();
    expect(net.calls).toHaveLength(1);
    expect(q.snapshot()).toMatchObject({ phase: 'waiting', lastFailure: 'network' });
    expect(q.snapshot().pending[0]).toMatchObject({ clientId: item.clientId, attempts: 1 });
    expect(time.scheduled()).toEqual([1000]);

    await time.advance(999);
    expect(net.calls).toHaveLength(1);
    await time.advance(1);
    expect(net.calls).toHaveLength(2);
    expect(time.scheduled()).toEqual([2000]);
    await time.advance(2000);
    expect(net.calls).toHaveLength(3);
    expect(time.scheduled()).toEqual([4000]);
    await time.advance(4000);
    expect(net.calls).toHaveLength(4);

    expect(new Set(net.calls.map((c) => c.clientId))).toEqual(new Set([item.clientId]));
    expect(q.snapshot()).toMatchObject({ pending: [], phase: 'idle', lastFailure: null });
    expect(q.snapshot().confirmed['slot-1']?.clientId).toBe(item.clientId);
    expect(time.scheduled()).toEqual([]);
  });

  it('gives up on a request after 8 s and resends the same clientId (the server may have it already)', async () => {
    const { time, net, make } = setup(['hang', ok('slot-1', 92.5, 1, { duplicate: true })]);
    const q = make();
    q.start();
    const item = q.submit('slot-1', A, '92.5');
    await flush();
    expect(time.scheduled()).toEqual([8000]);
    await time.advance(8000);
    expect(q.snapshot()).toMatchObject({ phase: 'waiting', lastFailure: 'timeout' });
    await time.advance(1000);
    expect(net.calls.map((c) => c.clientId)).toEqual([item.clientId, item.clientId]);
    expect(q.snapshot().confirmed['slot-1']).toMatchObject({ version: 1, duplicate: true });
  });

  it('retries at once when the phone comes back online instead of waiting out the backoff', async () => {
    const { time, net, make } = setup([
      'network-error',
      'network-error',
      'network-error',
      ok('slot-1', 90, 1),
    ]);
    const q = make();
    q.start();
    q.submit('slot-1', A, '90');
    await flush();
    await time.advance(1000);
    await time.advance(2000);
    expect(time.scheduled()).toEqual([4000]);
    q.online();
    await flush();
    expect(net.calls).toHaveLength(4);
    expect(q.snapshot().pending).toEqual([]);
    expect(time.scheduled()).toEqual([]);
  });

  it('an online event during a request that then fails retries at once, not after the backoff', async () => {
    const { time, net, make } = setup(['hang', ok('slot-1', 90, 1)]);
    const q = make();
    q.start();
    q.submit('slot-1', A, '90');
    await flush();
    q.online(); // while the first request hangs on the dead connection
    await time.advance(8000); // it times out...
    expect(net.calls).toHaveLength(2); // ...and is resent right away
    expect(q.snapshot()).toMatchObject({ pending: [], phase: 'idle' });
    expect(time.scheduled()).toEqual([]);
  });

  it('a pending submission survives a reload and the new page sends it with the same clientId', async () => {
    const { storage, time, net, make } = setup(['network-error']);
    const before = make();
    before.start();
    const item = before.submit('slot-1', A, '92.5');
    await flush();
    before.stop(); // the page goes away
    expect(time.scheduled()).toEqual([]);

    net.setFallback(ok('slot-1', 92.5, 1));
    const after = make();
    expect(after.snapshot().pending.map((p) => p.clientId)).toEqual([item.clientId]);
    after.start();
    await flush();
    expect(net.calls.map((c) => c.clientId)).toEqual([item.clientId, item.clientId]);
    expect(after.snapshot().pending).toEqual([]);
    expect(after.snapshot().confirmed['slot-1']?.total).toBe(92.5);
    // ...and the confirmation itself survives the next reload.
    expect(
      new SubmissionQueue({ fetch: net.fetch, storage, clock: time.clock, judgeId: 'judge-1' }).snapshot()
        .confirmed['slot-1'],
    ).toMatchObject({
      total: 92.5,
      version: 1,
    });
  });

  it('drops a submission the server refuses (409 slot_closed) and reports its message', async () => {
    const { net, make } = setup([slotClosed, ok('slot-2', 80, 1)]);
    const q = make();
    q.start();
    q.submit('slot-1', A, '92.5');
    q.submit('slot-2', { c1: 20, c2: 60 }, '80');
    await flush();
    const s = q.snapshot();
    expect(net.calls.map((c) => c.slotId)).toEqual(['slot-1', 'slot-2']);
    expect(s.pending).toEqual([]);
    expect(s.rejected['slot-1']).toMatchObject({
      status: 409,
      code: 'slot_closed',
      message: '该单位的评分已结束，本次提交未计入（已记录备查）',
      localTotal: '92.5',
    });
    expect(s.confirmed['slot-1']).toBeUndefined();
    expect(s.confirmed['slot-2']?.total).toBe(80);

    q.dismissRejection('slot-1');
    expect(q.snapshot().rejected).toEqual({});
  });

  it('drops other definite refusals too: recused (403) and invalid scores (400)', async () => {
    const { make } = setup([
      { status: 403, body: { code: 'judge_recused', message: '您与该单位存在关联，按回避规定不参与评分' } },
      { status: 400, body: { code: 'score_invalid', message: '评分有误' } },
    ]);
    const q = make();
    q.start();
    q.submit('slot-1', A, '92.5');
    q.submit('slot-2', A, '92.5');
    await flush();
    const s = q.snapshot();
    expect(s.pending).toEqual([]);
    expect(s.rejected['slot-1']?.code).toBe('judge_recused');
    expect(s.rejected['slot-2']?.code).toBe('score_invalid');
  });

  it('keeps a submission when the session is gone (401) or the server fails (5xx), and retries it', async () => {
    const { time, net, make } = setup([
      { status: 401, body: { code: 'unauthenticated', message: '请先登录' } },
      { status: 503, body: '<html>Bad gateway</html>' },
      { status: 200, body: '<html>Wi-Fi login</html>' },
      ok('slot-1', 92.5, 1),
    ]);
    const q = make();
    q.start();
    const item = q.submit('slot-1', A, '92.5');
    await flush();
    expect(q.snapshot()).toMatchObject({ phase: 'waiting', lastFailure: 'unauthorized' });
    await time.advance(1000);
    expect(q.snapshot().lastFailure).toBe('server');
    await time.advance(2000);
    expect(q.snapshot().lastFailure).toBe('bad_response');
    await time.advance(4000);
    expect(net.calls.map((c) => c.clientId)).toEqual(Array(4).fill(item.clientId));
    expect(q.snapshot().confirmed['slot-1']?.total).toBe(92.5);
  });

  it('sends a revision only after the version it revises, and shows the latest version', async () => {
    const { net, make } = setup(['network-error']);
    const q = make();
    q.start();
    const v1 = q.submit('slot-1', { c1: 20, c2: 60 }, '80');
    await flush();
    const v2 = q.submit('slot-1', { c1: 25, c2: 60 }, '85');
    expect(v2.clientId).not.toBe(v1.clientId);
    expect(q.snapshot().pending.map((p) => p.clientId)).toEqual([v1.clientId, v2.clientId]);
    await flush();
    // v2's submit tried again at once, but v1 is still at the head of the line: v1 went out again.
    expect(net.calls.map((c) => c.clientId)).toEqual([v1.clientId, v1.clientId]);
    // The network is back; the server numbers versions in arrival order.
    net.setFallback((call) =>
      ok('slot-1', call.clientId === v1.clientId ? 80 : 85, call.clientId === v1.clientId ? 1 : 2),
    );
    q.online();
    await flush();
    expect(net.calls.map((c) => c.clientId)).toEqual([v1.clientId, v1.clientId, v1.clientId, v2.clientId]);
    expect(q.snapshot().pending).toEqual([]);
    expect(q.snapshot().confirmed['slot-1']).toMatchObject({ clientId: v2.clientId, total: 85, version: 2 });
  });

  it('uses a new clientId per submission, even for the same values', async () => {
    const { make } = setup([ok('slot-1', 92.5, 1), ok('slot-1', 92.5, 2)]);
    const q = make();
    q.start();
    const a = q.submit('slot-1', A, '92.5');
    const b = q.submit('slot-1', A, '92.5');
    await flush();
    expect(a.clientId).not.toBe(b.clientId);
    expect(q.snapshot().confirmed['slot-1']?.version).toBe(2);
  });

  it("keeps each judge's outbox apart on a shared phone", async () => {
    const { storage, net, make } = setup(['network-error']);
    const first = make('judge-1');
    first.start();
    first.submit('slot-1', A, '92.5');
    await flush();
    first.stop();
    net.setFallback(ok('slot-1', 70, 1));
    const second = make('judge-2');
    second.start();
    await flush();
    expect(net.calls).toHaveLength(1);
    expect(second.snapshot().pending).toEqual([]);
    expect(JSON.parse(storage.data.get(storageKey('judge-1')) ?? 'null').pending).toHaveLength(1);
  });

  it('does not lose the entries another tab of the same judge queued meanwhile', async () => {
    const { net, make } = setup(['hang', 'hang']);
    const tab1 = make();
    const tab2 = make();
    const a = tab1.submit('slot-1', A, '92.5');
    const b = tab2.submit('slot-2', A, '92.5');
    expect(tab1.snapshot().pending.map((p) => p.clientId)).toEqual([a.clientId, b.clientId]);
    expect(net.calls).toHaveLength(0); // neither started
  });

  it('keeps working in memory when storage refuses writes, and says so', async () => {
    const { net, time } = setup([]);
    net.setFallback(ok('slot-1', 92.5, 1));
    const broken: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
    };
    const q = new SubmissionQueue({
      fetch: net.fetch,
      storage: broken,
      clock: time.clock,
      judgeId: 'judge-1',
    });
    q.start();
    q.submit('slot-1', A, '92.5');
    expect(q.snapshot()).toMatchObject({ persisted: false });
    await flush();
    expect(q.snapshot().confirmed['slot-1']?.total).toBe(92.5);
  });
});

describe('classifyResponse', () => {
  it.each([
    [200, ok('s', 1, 1).body, 'confirmed'],
    [201, ok('s', 1, 1).body, 'confirmed'],
    [200, null, 'retry'],
    [200, { hello: 'portal' }, 'retry'],
    [302, null, 'retry'],
    [401, { code: 'unauthenticated', message: 'x' }, 'retry'],
    [403, { code: 'forbidden', message: 'x' }, 'retry'],
    [403, { code: 'judge_recused', message: 'x' }, 'rejected'],
    [400, { code: 'score_invalid', message: 'x' }, 'rejected'],
    [404, { code: 'not_found', message: 'x' }, 'rejected'],
    [404, null, 'retry'],
    [408, null, 'retry'],
    [409, { code: 'slot_closed', message: 'x' }, 'rejected'],
    [409, { code: 'slot_not_open', message: 'x' }, 'rejected'],
    [429, { code: 'rate_limited', message: 'x' }, 'retry'],
    [500, { code: 'internal', message: 'x' }, 'retry'],
    [502, null, 'retry'],
  ])('%i %j → %s', (status, body, kind) => {
    expect(classifyResponse(status, body).kind).toBe(kind);
  });
});

describe('slotStatus', () => {
  const state = {
    pending: [],
    confirmed: {
      s1: {
        clientId: 'c',
        slotId: 's1',
        entryId: 'e',
        values: { c1: 1 },
        total: 1,
        version: 2,
        createdAt: 'x',
        duplicate: false,
      },
    },
    rejected: {},
  };
  it('shows the newer of the phone’s and the server’s confirmation', () => {
    const server = { values: { c1: 3 }, total: 3, version: 3, createdAt: 'y' };
    expect(slotStatus('s1', state, server).confirmed).toMatchObject({ total: 3, version: 3 });
    expect(slotStatus('s1', state, { ...server, version: 1 }).confirmed).toMatchObject({
      total: 1,
      version: 2,
    });
    expect(slotStatus('s2', state, null)).toEqual({ pending: null, confirmed: null, rejected: null });
  });
});

describe('newClientId', () => {
  it('uses randomUUID where it exists', () => {
    expect(
      newClientId({ randomUUID: () => 'uuid-1', getRandomValues: crypto.getRandomValues.bind(crypto) }),
    ).toBe('uuid-1');
  });
  it('falls back to getRandomValues outside secure contexts (plain http on the intranet)', () => {
    const c = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const a = newClientId(c);
    const b = newClientId(c);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

// ---------- exact decimals ----------

describe('judge page decimals', () => {
  it('parses what judges type, including full-width digits and a decimal comma', () => {
    expect(parseDecimal('8.5')).toEqual({ units: 85, scale: 1 });
    expect(parseDecimal(' 08.50 ')).toEqual({ units: 85, scale: 1 });
    expect(parseDecimal('８．５')).toEqual({ units: 85, scale: 1 });
    expect(parseDecimal('8,5')).toEqual({ units: 85, scale: 1 });
    expect(parseDecimal('.5')).toEqual({ units: 5, scale: 1 });
    expect(parseDecimal('7.')).toEqual({ units: 7, scale: 0 });
    for (const bad of ['', '.', 'abc', '1e3', '8.5.1', '+3', '0x10']) expect(parseDecimal(bad)).toBeNull();
  });

  it('checks range and step exactly, where floating point would not', () => {
    expect(0.3 % 0.1).not.toBe(0); // why the module exists
    expect(checkValue('0.3', 10, 0.1)).toMatchObject({ ok: true, value: 0.3 });
    expect(checkValue('9.7', 10, 0.1)).toMatchObject({ ok: true, value: 9.7 });
    expect(checkValue('8.25', 10, 0.25)).toMatchObject({ ok: true, value: 8.25 });
    expect(checkValue('8.3', 10, 0.25)).toEqual({ ok: false, issue: 'wrong_step' });
    expect(checkValue('10.5', 10, 0.5)).toEqual({ ok: false, issue: 'out_of_range' });
    expect(checkValue('-0.5', 10, 0.5)).toEqual({ ok: false, issue: 'out_of_range' });
    expect(checkValue('', 10, 0.5)).toEqual({ ok: false, issue: 'empty' });
    expect(checkValue('x', 10, 0.5)).toEqual({ ok: false, issue: 'not_a_number' });
  });

  it('steps by the criterion step, snapping off-grid values and staying within [0, max]', () => {
    expect(stepValue('', 30, 0.5, 1)).toBe('0.5');
    expect(stepValue('', 30, 0.5, -1)).toBe('30');
    expect(stepValue('27.5', 30, 0.5, 1)).toBe('28');
    expect(stepValue('0.2', 1, 0.1, 1)).toBe('0.3');
    expect(stepValue('0.3', 1, 0.1, -1)).toBe('0.2');
    expect(stepValue('27.3', 30, 0.5, 1)).toBe('27.5');
    expect(stepValue('27.3', 30, 0.5, -1)).toBe('27');
    expect(stepValue('30', 30, 0.5, 1)).toBe('30');
    expect(stepValue('0', 30, 0.5, -1)).toBe('0');
    expect(stepValue('45', 30, 0.5, -1)).toBe('30');
    // max not a multiple of step: the top is the largest multiple below it
    expect(stepValue('', 10, 3, -1)).toBe('9');
    expect(stepValue('9', 10, 3, 1)).toBe('9');
  });

  it('sums exactly', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatScaled(sumScaled([fromNumber(0.1), fromNumber(0.2)]))).toBe('0.3');
    expect(formatScaled(sumScaled(['27.5', '65', '0.05'].map((s) => parseDecimal(s)!)))).toBe('92.55');
    expect(formatScaled(sumScaled([]))).toBe('0');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(92.5)).toBe('92.5');
    expect(formatNumber(90)).toBe('90');
  });
});
