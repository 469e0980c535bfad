// A page on another site must not be able to change anything with a signed-in user's cookie: the
// body-less POSTs (lock, open a slot, reset a password) are the ones a plain form or fetch with
// text/plain can send without a preflight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { asRole, type Client, createTestApp, seedUser, type TestApp } from '../support/http.ts';

const evil = { origin: 'https://evil.example', 'content-type': 'text/plain' };

describe.each(dbKinds)('cross-site requests on %s', (kind) => {
  let t: TestApp;
  let organizer: Client;
  let f: EventFixture;

  beforeAll(async () => {
    t = await createTestApp(kind);
    organizer = await asRole(t, 'organizer');
    f = await seedEventFixture(t.database);
  });
  afterAll(() => t.close());

  it('refuses a body-less POST from another origin and changes nothing', async () => {
    const slot = f.slots[0]!;
    const open = await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/open`, undefined, {
      headers: evil,
    });
    expect(open.status).toBe(403);
    expect(open.json.code).toBe('cross_site_request');
    const lock = await organizer.post(`/api/events/${f.eventId}/lock`, undefined, { headers: evil });
    expect(lock.status).toBe(403);
    const reporter = await seedUser(t.database, { role: 'leader' });
    const reset = await organizer.post(`/api/users/${reporter.id}/reset-password`, undefined, {
      headers: evil,
    });
    expect(reset.status).toBe(403);
    const event = await t.database.db
      .selectFrom('events')
      .select('status')
      .where('id', '=', f.eventId)
      .executeTakeFirstOrThrow();
    expect(event.status).toBe('draft');
    const state = await t.database.db
      .selectFrom('slots')
      .select('state')
      .where('id', '=', slot.id)
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('pending');
    const user = await t.database.db
      .selectFrom('users')
      .select('must_change_password')
      .where('id', '=', reporter.id)
      .executeTakeFirstOrThrow();
    expect(user.must_change_password).toBe(0);
  });

  it('refuses what the browser marks as cross-site, even with a plausible Origin', async () => {
    const res = await organizer.post(`/api/events/${f.eventId}/lock`, undefined, {
      headers: { origin: 'http://shaipin.test', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('cross_site_request');
    const sameSite = await organizer.post(`/api/events/${f.eventId}/lock`, undefined, {
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(sameSite.status).toBe(403);
  });

  it("says so in the user's language", async () => {
    const res = await organizer.post(`/api/events/${f.eventId}/lock`, undefined, {
      headers: evil,
      lang: 'en-US',
    });
    expect(res.json.message).toMatch(/another site/);
    const zh = await organizer.post(`/api/events/${f.eventId}/lock`, undefined, { headers: evil });
    expect(zh.json.message).toMatch(/其他网站/);
  });

  it('lets our own pages through: same origin, the public URL, Sec-Fetch-Site same-origin, and reads from anywhere', async () => {
    const slot = f.slots[1]!;
    const own = await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/open`, undefined, {
      headers: { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(200);
    const viaPublicUrl = await organizer.post(`/api/events/${f.eventId}/slots/${slot.id}/close`, undefined, {
      headers: { origin: 'http://shaipin.test' },
    });
    expect(viaPublicUrl.status).toBe(200);
    const read = await organizer.get(`/api/events/${f.eventId}`, {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(read.status).toBe(200);
  });
});
