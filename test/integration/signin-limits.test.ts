// In a hall every phone shares one public address: token sign-ins are limited by failures, never by
// successes, so a full hall gets in at once while a guesser is answered rate_limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { type EventFixture, seedEventFixture } from '../support/fixtures.ts';
import { anonymous, asRole, createTestApp, type TestApp } from '../support/http.ts';

const HALL = '203.0.113.50';

describe.each(dbKinds)('token sign-ins from one address on %s', (kind) => {
  let t: TestApp;
  let f: EventFixture;

  beforeAll(async () => {
    t = await createTestApp(kind, { loginRateLimit: 5, tokenSignInFailures: { max: 30, windowMs: 60_000 } });
    f = await seedEventFixture(t.database, { judgesPerPanel: 150 });
  });
  afterAll(() => t.close());

  const judgeSignIn = (token: string, ip = HALL) =>
    anonymous(t).post('/api/judge/session', { token }, { headers: { 'x-forwarded-for': ip } });

  it('lets 300 judges behind one address sign in at once', async () => {
    expect(f.judges).toHaveLength(300);
    const answers = await Promise.all(f.judges.map((j) => judgeSignIn(j.token)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(300);
  });

  it('answers an address rate_limited after 30 wrong invite tokens a minute, and still lets every valid invite in', async () => {
    const guesser = '198.51.100.77';
    for (let i = 0; i < 30; i++) {
      const wrong = await judgeSignIn(`not-a-real-invite-token-${String(i).padStart(4, '0')}`, guesser);
      expect(wrong.status).toBe(401);
      expect(wrong.json.code).toBe('invite_invalid');
    }
    const refused = await judgeSignIn('not-a-real-invite-token-0031', guesser);
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('rate_limited');
    // A hall where thirty phones scanned revoked codes: the judges with valid ones still get in.
    expect((await judgeSignIn(f.judges[0]!.token, guesser)).status).toBe(200);
    expect((await judgeSignIn(f.judges[1]!.token, '198.51.100.78')).status).toBe(200);
    t.clock.advance(61_000);
    const later = await judgeSignIn('not-a-real-invite-token-0032', guesser);
    expect(later.status).toBe(401);
    expect(later.json.code).toBe('invite_invalid');
  });

  it('counts wrong screen links the same way', async () => {
    const organizer = await asRole(t, 'organizer');
    const link = await organizer.post(`/api/events/${f.eventId}/screen-tokens`, { label: '主屏' });
    expect(link.status).toBe(200);
    const guesser = '198.51.100.90';
    const screen = (token: string) =>
      anonymous(t).post('/api/screen/session', { token }, { headers: { 'x-forwarded-for': guesser } });
    for (let i = 0; i < 30; i++)
      expect((await screen(`no-such-screen-token-${String(i).padStart(4, '0')}`)).status).toBe(401);
    expect((await screen('no-such-screen-token-0031')).status).toBe(429);
    const token = new URL(link.json.url).searchParams.get('t')!;
    expect((await screen(token)).status).toBe(200);
  });
});
