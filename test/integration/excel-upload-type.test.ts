// An old .xls workbook, or another file, sent to an Excel import, over HTTP on both databases: every
// import says, in the caller's language, to save the file as an Excel workbook (.xlsx), whether the
// browser labelled it application/vnd.ms-excel (refused before the route runs) or sent its bytes as an
// .xlsx (recognised by the OLE2 signature). A JSON route keeps saying it takes JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { seedEventFixture } from '../support/fixtures.ts';
import { asRole, type Client, createTestApp, type TestApp } from '../support/http.ts';

/** The start of an Excel 97–2003 workbook: the OLE2 compound-file header (512 bytes, then sectors). */
const XLS = Buffer.concat([
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  Buffer.alloc(16, 0),
  Buffer.from([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff, 0x09, 0x00]),
  Buffer.alloc(1024 - 32, 0xff),
]);
const XLS_MIME = 'application/vnd.ms-excel';

const XLS_ZH =
  '这是旧版 Excel 97-2003 工作簿（.xls）或设置了打开密码的工作簿，无法读取：请在 Excel 中选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”（不设打开密码），再上传另存的文件';
const XLS_EN =
  'This is an Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot be read: in Excel choose File → Save As, pick "Excel Workbook (*.xlsx)" (no open password) and upload the saved file';
const OTHER_ZH =
  '文件类型不支持，请上传 Excel 工作簿（.xlsx）文件：.xls、.csv 等其他格式请先在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）';

describe.each(dbKinds)('file types of Excel imports on %s', (kind) => {
  let t: TestApp;
  let org: Client;
  let eventId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    org = await asRole(t, 'organizer');
    eventId = (await seedEventFixture(t.database)).eventId;
  });
  afterAll(async () => {
    await t?.close();
  });

  const routes = () => [
    '/api/units/import',
    `/api/events/${eventId}/judges/import`,
    '/api/indicators/actuals/import?period=2023-Q1',
    '/api/indicators/import',
  ];

  it('an .xls is refused with how to save it as .xlsx, labelled as .xls or sent as an .xlsx', async () => {
    for (const url of routes()) {
      for (const contentType of [
        XLS_MIME,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ]) {
        const res = await org.post(url, XLS, { contentType });
        expect(res.status, `${url} ${contentType}`).toBe(415);
        expect(res.json.code).toBe('file_type_invalid');
        expect(res.json.message, `${url} ${contentType}`).toBe(XLS_ZH);
      }
      const en = await org.post(url, XLS, { contentType: XLS_MIME, lang: 'en-US' });
      expect(en.json.message, url).toBe(XLS_EN);
    }
  });

  it('any other file says to upload an .xlsx, never JSON; a JSON route still asks for JSON', async () => {
    for (const url of routes()) {
      for (const [body, contentType] of [
        [Buffer.from('GIF89a'), 'image/gif'],
        [Buffer.from('编码,名称\nC1,某镇\n'), 'text/csv'],
        [Buffer.from('%PDF-1.7\n'), 'application/pdf'],
        [Buffer.from('hello'), 'text/plain'],
      ] as const) {
        const res = await org.post(url, body, { contentType });
        expect(res.status, `${url} ${contentType}`).toBe(415);
        expect(res.json.message, `${url} ${contentType}`).toBe(OTHER_ZH);
      }
    }
    const en = await org.post('/api/units/import', Buffer.from('GIF89a'), {
      contentType: 'image/gif',
      lang: 'en-US',
    });
    expect(en.json.message).toBe(
      'Unsupported file type; please upload an Excel Workbook (.xlsx): save .xls, .csv and other formats as "Excel Workbook (*.xlsx)" in Excel or WPS first',
    );
    for (const contentType of [XLS_MIME, 'image/gif']) {
      const json = await org.post('/api/units', XLS, { contentType });
      expect(json.status).toBe(415);
      expect(json.json.message).toBe('文件类型不支持，请上传 JSON 文件');
    }
  });
});
