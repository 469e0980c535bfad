// Invite and screen links are credentials: the database holds only their digests, the links are
// derived again from the server's link key for the QR codes and the printed sheet, and a link the key
// did not make (an older release's, or another key's) keeps signing in but asks for a new link to print.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../src/platform/link-tokens.ts';
import { buildApp } from '../../src/server/app.ts';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import {
  anonymous,
  asRole,
  clientFor,
  createTestApp,
  type RoleClient,
  type TestApp,
} from '../support/http.ts';

const tokenOf = (url: string): string => new URL(url).searchParams.get('t')!;

describe.each(dbKinds)('printed links on %s', (kind) => {
  let t: TestApp;
  let f: EventFixture;
  let organizer: RoleClient;
  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await seedEventFixture(t.database);
    organizer = await asRole(t, 'organizer');
  });
  afterAll(() => t?.close());

  /** Every text cell of a table's rows, to show that a token is nowhere in it. */
  const cellsOf = async (table: 'invites' | 'screen_tokens'): Promise<string[]> =>
    (await t.database.db.selectFrom(table).selectAll().execute()).flatMap((r) =>
      Object.values(r).filter((v): v is string => typeof v === 'string'),
    );

  it('stores an invite as a digest only; the same link is shown, printed and signs in', async () => {
    const judge = f.judges[1]!;
    const issued = await organizer.post(`/api/events/${f.eventId}/judges/${judge.id}/invite`);
    expect(issued.status).toBe(200);
    const token = tokenOf(issued.json.url);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const cells = await cellsOf('invites');
    expect(cells.some((c) => c.includes(token))).toBe(false);
    expect(cells).toContain(tokenDigest(token));

    const listed = await organizer.get(`/api/events/${f.eventId}/invites`);
    expect(listed.json.find((i: { judgeId: string }) => i.judgeId === judge.id).url).toBe(issued.json.url);
    expect((await organizer.get(`/api/events/${f.eventId}/invites/print`)).body).toContain(issued.json.url);
    expect((await organizer.get(`/api/events/${f.eventId}/invites/${judge.id}/qr.svg`)).status).toBe(200);
    expect((await anonymous(t).post('/api/judge/session', { token })).status).toBe(200);
  });

  it('stores a screen link as a digest only; the list shows it again and it signs a display in', async () => {
    const created = await organizer.post(`/api/events/${f.eventId}/screen-tokens`, { label: '主会场' });
    expect(created.status).toBe(200);
    const token = tokenOf(created.json.url);
    const cells = await cellsOf('screen_tokens');
    expect(cells.some((c) => c.includes(token))).toBe(false);
    expect(cells).toContain(tokenDigest(token));
    const listed = await organizer.get(`/api/events/${f.eventId}/screen-tokens`);
    expect(listed.json.find((x: { id: string }) => x.id === created.json.id).url).toBe(created.json.url);
    expect((await anonymous(t).post('/api/screen/session', { token })).status).toBe(200);
  });

  it('a link made under another key signs in, cannot be shown again, and a new one can', async () => {
    // A second server on the same database with a key of its own: what a moved data folder without its
    // key file, or a link from before links were derived, looks like to this server.
    const other = await buildApp({
      database: t.database,
      logger: false,
      clock: t.clock.now,
      linkKey: randomBytes(32),
      publicUrl: 'http://shaipin.test',
      loginRateLimit: 10_000,
    });
    try {
      const otherOrganizer = clientFor(other, organizer.cookie);
      const judge = f.judges[2]!;
      const issued = await otherOrganizer.post(`/api/events/${f.eventId}/judges/${judge.id}/invite`);
      expect(issued.status).toBe(200);
      const screen = await otherOrganizer.post(`/api/events/${f.eventId}/screen-tokens`, { label: '副会场' });

      // Both still sign in on this server: only the digest is compared.
      expect(
        (await anonymous(t).post('/api/judge/session', { token: tokenOf(issued.json.url) })).status,
      ).toBe(200);
      expect(
        (await anonymous(t).post('/api/screen/session', { token: tokenOf(screen.json.url) })).status,
      ).toBe(200);

      // This server cannot show them again, and says so instead of printing a wrong code.
      const listed = await organizer.get(`/api/events/${f.eventId}/invites`);
      expect(listed.json.find((i: { judgeId: string }) => i.judgeId === judge.id).url).toBeNull();
      expect((await organizer.get(`/api/events/${f.eventId}/invites/${judge.id}/qr.svg`)).status).toBe(404);
      const sheet = (await organizer.get(`/api/events/${f.eventId}/invites/print`)).body as string;
      expect(sheet).toContain('此评委的链接仍可使用，但无法再次显示');
      const screens = await organizer.get(`/api/events/${f.eventId}/screen-tokens`);
      expect(screens.json.find((x: { id: string }) => x.id === screen.json.id).url).toBeNull();
      expect(
        (await organizer.get(`/api/events/${f.eventId}/screen-tokens/${screen.json.id}/qr.svg`)).status,
      ).toBe(404);

      // A new link from this server can be shown and printed again; the old one stops.
      const again = await organizer.post(`/api/events/${f.eventId}/judges/${judge.id}/invite`);
      const relisted = await organizer.get(`/api/events/${f.eventId}/invites`);
      expect(relisted.json.find((i: { judgeId: string }) => i.judgeId === judge.id).url).toBe(again.json.url);
      expect(
        (await anonymous(t).post('/api/judge/session', { token: tokenOf(issued.json.url) })).status,
      ).toBe(401);
    } finally {
      await other.close();
    }
  });
});
