// A report's photos over HTTP, on both databases: the unit's author uploads them (checked by their
// bytes, stored upright and scaled), picks them for a highlight, and they travel with the deck into the
// PPTX and onto the big screen; nobody else uploads, and nobody reads them before they may read the report.
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/platform/http/app.ts';
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
import { approveFirstUnitReport, seedReportEvent, verifyFirstUnitQ2 } from '../support/report-setup.ts';

describe.each(dbKinds)('report photos on %s', (kind) => {
  let t: TestApp;
  let org: RoleClient;
  let leader: RoleClient;
  let f: IndicatorFixture;
  let reporterA: Client;
  let reporterB: Client;
  let eventId: string;
  let unitA: string;
  const base = () => `/api/events/${eventId}/reports/${unitA}`;
  const upload = (as: Client, body: Buffer, contentType = 'image/jpeg') =>
    as.post(`${base()}/photos`, body, { contentType });

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    leader = await asRole(t, 'leader');
    f = await seedIndicatorFixture(t.database);
    reporterA = clientFor(t.app, await loginAs(t.app, f.reporters[0]!.username, f.reporters[0]!.password));
    reporterB = clientFor(t.app, await loginAs(t.app, f.reporters[1]!.username, f.reporters[1]!.password));
    eventId = await seedReportEvent(
      t.database.db,
      f.units.map((u) => u.id),
    );
    unitA = f.units[0]!.id;
    await verifyFirstUnitQ2(f, reporterA, org);
  });
  afterAll(() => t?.close());

  it('stores an upright, scaled photo and shows it in the deck, the PPTX and on the screen', async () => {
    // A sideways phone photo (orientation 6), 3000 × 2000 pixels.
    const sideways = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a7' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    // The declared type is not believed: a JPEG sent as PNG is still a JPEG, and accepted.
    const res = await upload(reporterA, sideways, 'image/png');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ width: 853, height: 1280 });
    const photoId = res.json.id as string;
    const served = await reporterA.get(`${base()}/photos/${photoId}`);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(served.raw).metadata();
    expect(meta).toMatchObject({ width: 853, height: 1280 });
    expect(meta.exif).toBeUndefined();
    expect((await reporterA.get(`${base()}/photos`)).json.map((p: { id: string }) => p.id)).toEqual([
      photoId,
    ]);

    // Another unit's photo cannot be put in this report.
    const strange = (
      await org.post(`/api/events/${eventId}/reports/${f.units[1]!.id}/photos`, sideways, {
        contentType: 'image/jpeg',
      })
    ).json.id as string;
    await approveFirstUnitReport(f, eventId, reporterA, org, [strange]).then(
      () => expect.unreachable('a photo of another unit was accepted'),
      (e: Error) => expect(e.message).toContain('404'),
    );

    // Approved with the photo in its highlight: the slide has it, the PPTX embeds it.
    await approveFirstUnitReport(f, eventId, reporterA, org, [photoId]);
    const slides = (await leader.get(`${base()}/slides`)).json.slides as {
      elements: { kind: string; photoId?: string }[];
    }[];
    expect(
      slides
        .flatMap((s) => s.elements)
        .filter((e) => e.kind === 'photo')
        .map((e) => e.photoId),
    ).toEqual([photoId]);
    const zip = await JSZip.loadAsync((await leader.get(`${base()}/deck.pptx`)).raw);
    const media = Object.keys(zip.files).filter((n) => /^ppt\/media\/[^/]+\.\w+$/.test(n));
    expect(media).toHaveLength(1);
    expect((await sharp(await zip.file(media[0]!)!.async('nodebuffer')).metadata()).width).toBe(853);

    // The event's big screen reads it now that the report is approved.
    const token = new URL(
      (await org.post(`/api/events/${eventId}/screen-tokens`, { label: '大屏' })).json.url,
    ).searchParams.get('t');
    const signIn = await anonymous(t).post('/api/screen/session', { token });
    const cookie = signIn.cookies.find((c) => c.name === SESSION_COOKIE)!;
    const screen = clientFor(t.app, `${SESSION_COOKIE}=${cookie.value}`);
    expect((await screen.get(`${base()}/photos/${photoId}`)).status).toBe(200);
    expect(
      (await screen.get(`/api/events/${eventId}/reports/${f.units[1]!.id}/photos/${strange}`)).status,
    ).toBe(404);
  });

  it('puts the event logo on every cover, set by the organizer only', async () => {
    const logoUrl = `/api/events/${eventId}/reports/template/logo`;
    const wide = await sharp({ create: { width: 1200, height: 400, channels: 4, background: '#c8161d80' } })
      .png()
      .toBuffer();
    expect((await reporterA.put(logoUrl, wide, { contentType: 'image/png' })).status).toBe(403);
    expect(
      (await org.put(logoUrl, Buffer.from('GIF89a not really'), { contentType: 'image/png' })).status,
    ).toBe(415);
    expect((await org.put(logoUrl, wide, { contentType: 'image/png' })).status).toBe(200);
    const served = await reporterA.get(logoUrl);
    expect(served.headers['content-type']).toBe('image/png');
    // Scaled into 600 × 300 with its proportions, transparency kept.
    expect(await sharp(served.raw).metadata()).toMatchObject({ width: 600, height: 200, hasAlpha: true });
    expect((await org.get(`/api/events/${eventId}/reports/template`)).json.hasLogo).toBe(true);
    // The cover of the approved deck carries it, natively in the PPTX too.
    const cover = (await leader.get(`${base()}/slides`)).json.slides[0] as {
      elements: { photoId?: string }[];
    };
    expect(cover.elements.some((e) => e.photoId === 'logo')).toBe(true);
    const zip = await JSZip.loadAsync((await leader.get(`${base()}/deck.pptx`)).raw);
    expect(Object.keys(zip.files).filter((n) => /^ppt\/media\/[^/]+\.png$/.test(n))).toHaveLength(1);
    // Removed: gone from the covers.
    expect((await org.delete(logoUrl)).status).toBe(200);
    expect((await reporterA.get(logoUrl)).status).toBe(404);
    const bare = (await leader.get(`${base()}/slides`)).json.slides[0] as {
      elements: { photoId?: string }[];
    };
    expect(bare.elements.some((e) => e.photoId === 'logo')).toBe(false);
  });

  it('refuses what is not a photo, and every caller but the unit and the organizer', async () => {
    const text = await upload(reporterA, Buffer.from('<script>alert(1)</script>'), 'image/jpeg');
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ code: 'file_type_invalid', message: expect.stringContaining('JPG') });
    const pdfLike = await upload(reporterA, Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'));
    expect(pdfLike.status).toBe(415);
    const big = Buffer.alloc(11 * 1024 * 1024, 0xff);
    expect((await upload(reporterA, big)).status).toBe(413);
    const ok = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect((await upload(reporterB, ok, 'image/png')).status).toBe(403);
    expect((await upload(leader, ok, 'image/png')).status).toBe(403);
    expect((await upload(anonymous(t), ok, 'image/png')).status).toBe(401);
    // A draft's photos are the unit's and the organizer's: unit B's draft photo is not for leaders.
    const draftPhoto = (
      await org.post(`/api/events/${eventId}/reports/${f.units[1]!.id}/photos`, ok, {
        contentType: 'image/png',
      })
    ).json.id;
    expect(
      (await leader.get(`/api/events/${eventId}/reports/${f.units[1]!.id}/photos/${draftPhoto}`)).status,
    ).toBe(403);
    expect(
      (await reporterA.get(`/api/events/${eventId}/reports/${f.units[1]!.id}/photos/${draftPhoto}`)).status,
    ).toBe(403);
  });
});
