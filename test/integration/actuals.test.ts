// Reporting actuals over HTTP: the review workflow with every revision kept, a reporter's reach (own
// unit, unlocked period, unverified value), evidence files checked by their bytes, and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import {
  anonymous,
  asRole,
  type Client,
  clientFor,
  createTestApp,
  loginAs,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';
import { miniDocx } from '../support/zip.ts';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x20), Buffer.from('%%EOF\n')]);
/** A real 1×1 PNG (a type check by content reads its chunks, not only the signature). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
/** The start of a Windows executable: "MZ". */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(200, 0)]);
/** A minimal real Word package. */
const DOCX = miniDocx();

describe.each(dbKinds)('actuals on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let leader: RoleClient;
  let f: IndicatorFixture;
  let reporterA: Client;
  let reporterB: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
    reporterB = clientFor(t.app, await loginAs(t.app, f.reporters[1]!.username, f.reporters[1]!.password));
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (indicatorId: string, key: string, rest = '') =>
    `/api/indicators/${indicatorId}/actuals/${key}${rest}`;

  it('draft → submitted → returned with a reason → submitted → verified, every revision kept', async () => {
    const land = f.indicators.land.id;
    const draft = await reporterA.put(url(land, '2023-Q1'), { value: 500, note: '初稿' });
    expect(draft.status).toBe(200);
    expect(draft.json).toEqual({
      id: expect.any(String),
      indicatorId: land,
      periodKey: '2023-Q1',
      value: 500,
      note: '初稿',
      status: 'draft',
      returnReason: null,
      version: 1,
      submittedAt: null,
      verifiedAt: null,
      updatedAt: expect.any(String),
      evidence: [],
    });
    const submitted = await reporterA.put(url(land, '2023-Q1'), {
      value: 620,
      note: '集中连片整治',
      submit: true,
    });
    expect(submitted.json).toMatchObject({
      status: 'submitted',
      version: 2,
      value: 620,
      submittedAt: expect.any(String),
    });

    // Returning needs a reason.
    const noReason = await org.post(url(land, '2023-Q1', '/review'), { decision: 'return' });
    expect(noReason.status).toBe(400);
    expect(noReason.json.code).toBe('return_reason_required');
    const blank = await org.post(url(land, '2023-Q1', '/review'), { decision: 'return', reason: '   ' });
    expect(blank.json.code).toBe('return_reason_required');
    const returned = await org.post(url(land, '2023-Q1', '/review'), {
      decision: 'return',
      reason: '请附上验收单',
    });
    expect(returned.status).toBe(200);
    expect(returned.json).toMatchObject({ status: 'returned', returnReason: '请附上验收单', version: 3 });
    // A returned value is not verifiable until it is submitted again.
    expect((await org.post(url(land, '2023-Q1', '/review'), { decision: 'verify' })).json.code).toBe(
      'actual_not_submitted',
    );

    const reworked = await reporterA.put(url(land, '2023-Q1'), { value: 600, note: '已附验收单' });
    expect(reworked.json).toMatchObject({ status: 'draft', returnReason: '请附上验收单', version: 4 });
    const resubmitted = await reporterA.put(url(land, '2023-Q1'), {
      value: 600,
      note: '已附验收单',
      submit: true,
    });
    expect(resubmitted.json).toMatchObject({ status: 'submitted', returnReason: null, version: 5 });
    const verified = await org.post(url(land, '2023-Q1', '/review'), { decision: 'verify' });
    expect(verified.json).toMatchObject({ status: 'verified', version: 6, verifiedAt: expect.any(String) });

    const revisions = await reporterA.get(url(land, '2023-Q1', '/revisions'));
    expect(revisions.status).toBe(200);
    expect(
      revisions.json.map((r: { version: number; value: number; status: string; reason: string | null }) => [
        r.version,
        r.value,
        r.status,
        r.reason,
      ]),
    ).toEqual([
      [1, 500, 'draft', null],
      [2, 620, 'submitted', null],
      [3, 620, 'returned', '请附上验收单'],
      [4, 600, 'draft', null],
      [5, 600, 'submitted', null],
      [6, 600, 'verified', null],
    ]);
    expect(revisions.json.map((r: { actorName: string }) => r.actorName)).toEqual([
      ...Array(2).fill(expect.stringContaining('填报员甲')),
      expect.stringContaining('organizer'),
      ...Array(2).fill(expect.stringContaining('填报员甲')),
      expect.stringContaining('organizer'),
    ]);

    // The organizer's reviews are audited, with the reason.
    const auditRows = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('action', 'in', ['actual.returned', 'actual.verified'])
      .orderBy('created_at')
      .execute();
    expect(auditRows).toEqual([
      { action: 'actual.returned', reason: '请附上验收单' },
      { action: 'actual.verified', reason: null },
    ]);
    const list = await leader.get(`/api/indicators/${land}/actuals`);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ periodKey: '2023-Q1', status: 'verified', version: 6 });
  });

  it('a verified value cannot be changed by the reporter; the organizer re-opens it by returning it', async () => {
    const air = f.indicators.air.id;
    await reporterA.put(url(air, '2023-Q1'), { value: 38, submit: true });
    await org.post(url(air, '2023-Q1', '/review'), { decision: 'verify' });
    const refused = await reporterA.put(url(air, '2023-Q1'), { value: 37, submit: true });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('actual_verified');
    expect(
      (await reporterA.post(url(air, '2023-Q1', '/evidence'), PDF, { contentType: 'application/pdf' }))
        .status,
    ).toBe(409);
    // Not the organizer either, without returning it first.
    expect((await org.put(url(air, '2023-Q1'), { value: 37 })).json.code).toBe('actual_verified');
    const reopened = await org.post(url(air, '2023-Q1', '/review'), {
      decision: 'return',
      reason: '数据口径调整',
    });
    expect(reopened.json).toMatchObject({ status: 'returned', verifiedAt: null });
    const fixed = await reporterA.put(url(air, '2023-Q1'), { value: 37, submit: true });
    expect(fixed.json).toMatchObject({ status: 'submitted', value: 37, version: 4 });
  });

  it("a reporter never reads or writes another unit's data; a co-unit only reads", async () => {
    const service = f.indicators.service.id;
    const investment = f.indicators.investment.id;
    await reporterB.put(url(service, '2023-Q1'), { value: 85, submit: true });
    expect((await reporterA.put(url(service, '2023-Q1'), { value: 99 })).status).toBe(403);
    expect((await reporterA.get(`/api/indicators/${service}/actuals`)).status).toBe(403);
    expect((await reporterA.get(url(service, '2023-Q1', '/revisions'))).status).toBe(403);
    expect(
      (await reporterA.post(url(service, '2023-Q1', '/evidence'), PDF, { contentType: 'application/pdf' }))
        .status,
    ).toBe(403);
    expect((await reporterB.put(url(f.indicators.land.id, '2023-Q2'), { value: 1 })).status).toBe(403);
    // Unit A co-owns the investment indicator: it reads, it does not write.
    await reporterB.put(url(investment, '2023-Q1'), { value: 12, submit: true });
    expect((await reporterA.get(`/api/indicators/${investment}/actuals`)).status).toBe(200);
    expect((await reporterA.put(url(investment, '2023-Q1'), { value: 13 })).status).toBe(403);
    // Reviews are the organizer's.
    expect((await reporterB.post(url(service, '2023-Q1', '/review'), { decision: 'verify' })).status).toBe(
      403,
    );
    expect((await leader.post(url(service, '2023-Q1', '/review'), { decision: 'verify' })).status).toBe(403);
    expect((await leader.put(url(service, '2023-Q1'), { value: 1 })).status).toBe(403);
    expect((await leader.get(`/api/indicators/${service}/actuals`)).status).toBe(200);
    expect((await anonymous(t).put(url(service, '2023-Q1'), { value: 1 })).status).toBe(401);
    expect((await anonymous(t).get(`/api/indicators/${service}/actuals`)).status).toBe(401);
  });

  it('a locked period takes no reporter changes (409 period_locked); the organizer still corrects', async () => {
    const service = f.indicators.service.id;
    await reporterB.put(url(service, '2023-Q3'), { value: 90 });
    expect((await org.patch('/api/periods/2023-Q3', { locked: true })).status).toBe(200);
    try {
      const refused = await reporterB.put(url(service, '2023-Q3'), { value: 91, submit: true });
      expect(refused.status).toBe(409);
      expect(refused.json.code).toBe('period_locked');
      expect(refused.json.message).toContain('2023-Q3');
      const ev = await reporterB.post(url(service, '2023-Q3', '/evidence'), PNG, {
        contentType: 'image/png',
      });
      expect(ev.json.code).toBe('period_locked');
      const byOrganizer = await org.put(url(service, '2023-Q3'), {
        value: 92,
        note: '考核办更正',
        submit: true,
      });
      expect(byOrganizer.json).toMatchObject({ value: 92, status: 'submitted' });
      const audited = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .where('action', '=', 'actual.saved')
        .execute();
      expect(audited).toEqual([{ action: 'actual.saved', target: `${f.indicators.service.code} 2023-Q3` }]);
    } finally {
      await org.patch('/api/periods/2023-Q3', { locked: false });
    }
    expect((await reporterB.put(url(service, '2023-Q3'), { value: 93 })).status).toBe(200);
  });

  it('bad input: wrong period kind or year, unknown period or indicator, a non-number value', async () => {
    const land = f.indicators.land.id;
    // No monthly periods yet: the period is unknown.
    expect((await reporterA.put(url(land, '2023-M03'), { value: 1 })).status).toBe(404);
    expect((await reporterA.put(url(land, '2023-Q5'), { value: 1 })).status).toBe(400);
    expect((await org.put(url(land, '2031-Q1'), { value: 1 })).status).toBe(404);
    expect((await org.put(url('nope', '2023-Q1'), { value: 1 })).status).toBe(404);
    expect((await reporterA.put(url(land, '2023-Q2'), { value: 'many' })).status).toBe(400);
    expect((await reporterA.put(url(land, '2023-Q2'), {})).status).toBe(400);
    expect((await org.post(url(land, '2023-Q4', '/review'), { decision: 'verify' })).status).toBe(404);
    expect((await org.post(url(land, '2023-Q1', '/review'), { decision: 'maybe' })).status).toBe(400);
    // Once the months exist, a month is still not a period of a quarterly indicator.
    await org.post('/api/periods', { year: 2023, frequency: 'monthly' });
    const monthOfQuarterly = await reporterA.put(url(land, '2023-M03'), { value: 1 });
    expect(monthOfQuarterly.status).toBe(400);
    expect(monthOfQuarterly.json.code).toBe('validation_failed');
    expect(monthOfQuarterly.json.message).toBe(
      '输入有误：2023-M03 不是该指标（2023 年，季度报送）的报送期次',
    );
  });

  it('a negative value where baseline and target are not (a stray minus sign) is saved only once confirmed', async () => {
    const land = f.indicators.land.id;
    const before = (await org.get(`/api/indicators/${land}/actuals`)).json;
    const refused = await reporterA.put(url(land, '2023-Q3'), { value: -230, note: '' });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('actual_unusual');
    expect(refused.json.message).toBe(
      `${f.indicators.land.code} 的填报值 -230亩 是负数，而该指标的基数和目标都不小于 0。请核对是否多输了负号；确认无误再保存。`,
    );
    expect((await org.get(`/api/indicators/${land}/actuals`)).json).toEqual(before);
    const confirmed = await reporterA.put(url(land, '2023-Q3'), {
      value: -230,
      note: '',
      confirmUnusual: true,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.value).toBe(-230);
    // Zero and positive values need no confirmation.
    expect((await reporterA.put(url(land, '2023-Q3'), { value: 0, note: '' })).status).toBe(200);
  });

  describe('evidence', () => {
    it('uploads PDF, PNG, JPEG and DOCX by their bytes, with the URL-encoded name; downloads them back', async () => {
      const land = f.indicators.land.id;
      await reporterA.put(url(land, '2023-Q2'), { value: 1100 });
      const name = '验收单 第1页.pdf';
      const up = await reporterA.post(url(land, '2023-Q2', '/evidence'), PDF, {
        contentType: 'application/pdf',
        headers: { 'x-file-name': encodeURIComponent(name) },
      });
      expect(up.status).toBe(200);
      expect(up.json.evidence).toEqual([
        { id: expect.any(String), fileName: name, mime: 'application/pdf', size: PDF.length },
      ]);
      // The declared type does not matter, the bytes do.
      const png = await reporterA.post(url(land, '2023-Q2', '/evidence'), PNG, {
        contentType: 'application/octet-stream',
        headers: { 'x-file-name': 'site.png' },
      });
      expect(png.json.evidence.map((e: { mime: string }) => e.mime)).toEqual([
        'application/pdf',
        'image/png',
      ]);
      const jpg = await org.post(url(land, '2023-Q2', '/evidence'), JPEG, { contentType: 'image/jpeg' });
      expect(jpg.json.evidence[2]).toMatchObject({ fileName: 'evidence.jpg', mime: 'image/jpeg' });
      const docx = await reporterA.post(url(land, '2023-Q2', '/evidence'), DOCX, {
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        headers: { 'x-file-name': encodeURIComponent('说明.docx') },
      });
      expect(docx.json.evidence[3]).toMatchObject({
        fileName: '说明.docx',
        mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      });

      const file = await leader.get(`/api/evidence/${up.json.evidence[0].id}`);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(String(file.headers['content-disposition'])).toContain(
        `filename*=UTF-8''${encodeURIComponent(name)}`,
      );
      expect(file.raw.equals(PDF)).toBe(true);
      expect((await reporterB.get(`/api/evidence/${up.json.evidence[0].id}`)).status).toBe(403);
      expect((await anonymous(t).get(`/api/evidence/${up.json.evidence[0].id}`)).status).toBe(401);
      expect((await leader.get('/api/evidence/nope')).status).toBe(404);
      const stored = await t.database.db
        .selectFrom('evidence_files')
        .select(['sha256', 'uploaded_by'])
        .where('id', '=', up.json.evidence[0].id)
        .executeTakeFirstOrThrow();
      expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
      // Listed with the actual.
      const actuals = await reporterA.get(`/api/indicators/${land}/actuals`);
      expect(
        actuals.json.find((a: { periodKey: string }) => a.periodKey === '2023-Q2').evidence,
      ).toHaveLength(4);
    });

    it('stores and serves a file under the extension of its real type, whatever name it came with', async () => {
      const air = f.indicators.air.id;
      await reporterA.put(url(air, '2023-Q2'), { value: 40 });
      // A PDF that is also an HTML application: named .hta it would run on a double click.
      const polyglot = Buffer.concat([PDF, Buffer.from('<hta:application><script>alert(1)</script>')]);
      const up = await reporterA.post(url(air, '2023-Q2', '/evidence'), polyglot, {
        contentType: 'application/octet-stream',
        headers: { 'x-file-name': encodeURIComponent('整改报告.hta') },
      });
      expect(up.status).toBe(200);
      expect(up.json.evidence[0]).toMatchObject({ fileName: '整改报告.pdf', mime: 'application/pdf' });
      const file = await leader.get(`/api/evidence/${up.json.evidence[0].id}`);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(String(file.headers['content-disposition'])).toContain(encodeURIComponent('整改报告.pdf'));
      expect(String(file.headers['content-disposition'])).not.toContain('.hta');
      // A ZIP that merely mentions word/ somewhere is not a Word file.
      const fakeDocx = Buffer.concat([
        Buffer.from([0x50, 0x4b, 0x03, 0x04]),
        Buffer.alloc(26, 0),
        Buffer.from('word/xl/'),
      ]);
      const refused = await reporterA.post(url(air, '2023-Q2', '/evidence'), fakeDocx, {
        contentType: 'application/octet-stream',
      });
      expect(refused.status).toBe(415);
    });

    it('refuses a renamed executable (415), a file over 10 MB (413), an empty body, and a missing actual', async () => {
      const land = f.indicators.land.id;
      await reporterA.put(url(land, '2023-Q3'), { value: 1500 });
      const exe = await reporterA.post(url(land, '2023-Q3', '/evidence'), EXE, {
        contentType: 'application/pdf',
        headers: { 'x-file-name': 'report.pdf' },
      });
      expect(exe.status).toBe(415);
      expect(exe.json.code).toBe('file_type_invalid');
      const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024, 0x20)]);
      const tooBig = await reporterA.post(url(land, '2023-Q3', '/evidence'), big, {
        contentType: 'application/pdf',
      });
      expect(tooBig.status).toBe(413);
      expect(tooBig.json.code).toBe('file_too_large');
      const zipNotOffice = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 0)]);
      expect(
        (
          await reporterA.post(url(land, '2023-Q3', '/evidence'), zipNotOffice, {
            contentType: 'application/octet-stream',
          })
        ).status,
      ).toBe(415);
      expect((await reporterA.post(url(land, '2023-Q3', '/evidence'), { not: 'a file' })).status).toBe(415);
      const badName = await reporterA.post(url(land, '2023-Q3', '/evidence'), PDF, {
        contentType: 'application/pdf',
        headers: { 'x-file-name': '%E0%A4%A' },
      });
      expect(badName.status).toBe(400);
      expect(
        (await reporterA.post(url(land, '2023-Q4', '/evidence'), PDF, { contentType: 'application/pdf' }))
          .status,
      ).toBe(404);
      const stillNone = await reporterA.get(`/api/indicators/${land}/actuals`);
      expect(stillNone.json.find((a: { periodKey: string }) => a.periodKey === '2023-Q3').evidence).toEqual(
        [],
      );
    });
  });
});
