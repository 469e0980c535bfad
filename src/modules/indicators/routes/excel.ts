import { z } from 'zod';
import { idSchema } from '../../../kernel/schemas.ts';
import { XLSX_MIME } from '../../../platform/excel.ts';
import type { App } from '../../../platform/http/app.ts';
import { sendFile, xlsxUpload } from '../../../platform/http/files.ts';
import { exportIndicatorWorkbook } from '../excel/export.ts';
import { importActuals } from '../excel/import-actuals.ts';
import { importIndicatorWorkbook } from '../excel/import-indicators.ts';
import { actualsTemplate } from '../excel/template.ts';
import { indicatorImportResult, overviewQuery } from '../schemas.ts';

const templateQuery = overviewQuery.extend({ unitId: idSchema.optional() });
const importQuery = overviewQuery.partial();
const exportQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** The indicators' Excel round-trip: reporting template and its upload, the year's export and its import. */
export function indicatorExcelRoutes(app: App): void {
  app.get(
    '/api/indicators/template.xlsx',
    { schema: { tags: ['indicators'], querystring: templateQuery } },
    async (req, reply) => {
      const { file, fileName } = await actualsTemplate(req.ctx(), {
        periodKey: req.query.period,
        unitId: req.query.unitId,
      });
      return sendFile(reply, file, XLSX_MIME, fileName);
    },
  );
  app.post(
    '/api/indicators/actuals/import',
    {
      ...xlsxUpload,
      schema: { tags: ['indicators'], querystring: importQuery, response: { 200: indicatorImportResult } },
    },
    async (req) => importActuals(req.ctx(), req.body as Buffer, { periodKey: req.query.period }),
  );
  app.get(
    '/api/indicators/export.xlsx',
    { schema: { tags: ['indicators'], querystring: exportQuery } },
    async (req, reply) => {
      const { file, fileName } = await exportIndicatorWorkbook(req.ctx(), { year: req.query.year });
      return sendFile(reply, file, XLSX_MIME, fileName);
    },
  );
  app.post(
    '/api/indicators/import',
    { ...xlsxUpload, schema: { tags: ['indicators'], response: { 200: indicatorImportResult } } },
    async (req) => importIndicatorWorkbook(req.ctx(), req.body as Buffer),
  );
}
