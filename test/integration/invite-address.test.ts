// The address the judges' QR codes carry: a base only this machine reaches (localhost) is flagged, on
// the judges tab's data and on the printed sheet, with this machine's network addresses offered.
import { afterAll, describe, expect, it } from 'vitest';
import { isLocalOnlyHost } from '../../src/modules/event/invite-address.ts';
import { dbKinds } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import { asRole, createTestApp, type TestApp } from '../support/http.ts';

describe('invite address', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  const open = async (publicUrl: string) => {
    const t = await createTestApp(dbKinds[0]!, { publicUrl });
    apps.push(t);
    const f = await seedEventFixture(t.database);
    return { t, f, organizer: await asRole(t, 'organizer') };
  };

  it('flags a base only this machine reaches, offers network addresses on the same port, and prints the warning', async () => {
    const { t, f, organizer } = await open('http://localhost:3000');
    const res = await organizer.get(`/api/events/${f.eventId}/invite-address`);
    expect(res.status).toBe(200);
    expect(res.json.base).toBe('http://localhost:3000');
    expect(res.json.localOnly).toBe(true);
    for (const b of res.json.networkBases as string[]) {
      expect(b).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:3000$/);
      expect(isLocalOnlyHost(new URL(b).hostname)).toBe(false);
    }
    const print = await organizer.get(`/api/events/${f.eventId}/invites/print`);
    expect(print.body).toContain('注意：二维码指向 http://localhost:3000（本机地址），评委的手机无法打开');
    // Only the organizer may ask.
    for (const role of ['observer', 'leader'] as const) {
      expect((await (await asRole(t, role)).get(`/api/events/${f.eventId}/invite-address`)).status).toBe(403);
    }
  });

  it('a network address is not flagged, and the sheet names it', async () => {
    const { f, organizer } = await open('http://192.168.1.10:3000');
    const res = await organizer.get(`/api/events/${f.eventId}/invite-address`);
    expect(res.json).toMatchObject({ base: 'http://192.168.1.10:3000', localOnly: false });
    const print = await organizer.get(`/api/events/${f.eventId}/invites/print`);
    expect(print.body).toContain('二维码地址：http://192.168.1.10:3000');
    expect(print.body).not.toContain('本机地址');
  });

  it('knows the addresses no phone reaches', () => {
    for (const h of ['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '0.0.0.0'])
      expect(isLocalOnlyHost(h), h).toBe(true);
    for (const h of ['192.168.1.10', '10.0.0.2', 'shaipin.example.cn', '[fe80::1]'])
      expect(isLocalOnlyHost(h), h).toBe(false);
  });
});
