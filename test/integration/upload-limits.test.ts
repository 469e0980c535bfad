// Hostile workbooks: a small upload that unpacks to far more than any real sheet ("zip bomb"), one
// whose headers lie about its sizes, and a ZIP that is no workbook at all. Each import refuses them
// with a clear error, and reading them happens off the event loop: judges scoring at the same time
// are answered while the upload is still being examined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { dbKinds } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import { asJudge, asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';
import { makeZip } from '../support/zip.ts';

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const WORKBOOK =
  '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>';

let bomb: Buffer;
let liar: Buffer;
const notAWorkbook = makeZip([{ name: 'xl/readme.txt', data: 'xl/ is mentioned, but this is no workbook' }]);

beforeAll(() => {
  // 160 MB of spaces in one sheet part: about 160 KB on the wire.
  const huge = Buffer.alloc(160 * 1024 * 1024, 0x20);
  bomb = makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/worksheets/sheet1.xml', data: huge },
  ]);
  liar = makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/worksheets/sheet1.xml', data: huge, declaredSize: 1000 },
  ]);
});

describe.each(dbKinds)('hostile workbooks on %s', (kind) => {
  let t: TestApp;
  let organizer: Client;
  let eventId: string;
  let slotId: string;
  let judges: Client[];
  let criteria: string[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    organizer = await asRole(t, 'organizer');
    const f = await seedEventFixture(t.database, { judgesPerPanel: 10 });
    eventId = f.eventId;
    slotId = f.slots[1]!.id;
    criteria = f.criteria.map((c) => c.id);
    await t.database.db.deleteFrom('judge_affiliations').execute();
    judges = await Promise.all(f.judges.map((j) => asJudge(t, j.token)));
    expect((await organizer.post(`/api/events/${eventId}/slots/${slotId}/open`)).status).toBe(200);
  });
  afterAll(() => t.close());

  const routes = () => [
    '/api/units/import',
    `/api/events/${eventId}/judges/import`,
    '/api/indicators/actuals/import',
    '/api/indicators/import',
  ];

  it("every import refuses a workbook that unpacks too large, saying so in the user's language", async () => {
    for (const url of routes()) {
      const res = await organizer.post(url, bomb);
      expect(res.status, url).toBe(413);
      expect(res.json.code, url).toBe('workbook_too_large');
      expect(res.json.message, url).toMatch(/解压后上限 100 MB/);
    }
    const en = await organizer.post('/api/units/import', bomb, { lang: 'en-US' });
    expect(en.json.message).toMatch(/at most 100 MB unpacked/);
  });

  it('refuses a workbook whose headers lie about its sizes, and a ZIP without the parts of a workbook', async () => {
    for (const url of routes()) {
      for (const file of [liar, notAWorkbook]) {
        const res = await organizer.post(url, file);
        expect([413, 415], url).toContain(res.status);
        expect(['workbook_too_large', 'file_type_invalid'], url).toContain(res.json.code);
      }
      expect((await organizer.post(url, notAWorkbook)).json.code, url).toBe('file_type_invalid');
    }
  });

  it('judges scoring during the upload are answered before the upload is', async () => {
    const answered: string[] = [];
    const started = Date.now();
    const upload = organizer.post('/api/indicators/actuals/import', bomb).then((r) => {
      answered.push('upload');
      return r;
    });
    const scores = judges.map((judge, i) =>
      judge
        .post('/api/judge/scores', {
          clientId: `c-${newId()}`,
          slotId,
          values: Object.fromEntries(criteria.map((c, k) => [c, k === 3 ? 5 : 10 + (i % 5)])),
        })
        .then((r) => {
          answered.push('judge');
          return r;
        }),
    );
    const results = await Promise.all(scores);
    const refused = await upload;
    console.log(`upload refused after ${Date.now() - started} ms; order: ${answered.join(' ')}`);
    expect(results.map((r) => r.status)).toEqual(judges.map(() => 200));
    expect(refused.json.code).toBe('workbook_too_large');
    expect(answered.indexOf('upload')).toBe(answered.length - 1);
  });
});
