import { z } from 'zod';
import { idParams, idSchema, okBody } from '../../../kernel/schemas.ts';
import { MAX_UPLOAD_BYTES } from '../../../platform/excel.ts';
import type { App } from '../../../platform/http/app.ts';
import { sendFile } from '../../../platform/http/files.ts';
import {
  downloadEvidence,
  listActuals,
  listRevisions,
  reviewActual,
  saveActual,
  uploadEvidence,
} from '../actuals.ts';
import { indicatorPage } from '../dashboard/indicator-page.ts';
import { overview } from '../dashboard/overview.ts';
import { periodLights } from '../dashboard/period-lights.ts';
import { reviewQueue } from '../dashboard/review-queue.ts';
import { unitPage } from '../dashboard/unit-page.ts';
import {
  createFrameworkNode,
  deleteFrameworkNode,
  listFramework,
  updateFrameworkNode,
} from '../framework.ts';
import {
  createIndicator,
  deleteIndicator,
  getIndicator,
  listIndicators,
  updateIndicator,
} from '../indicators.ts';
import { getLightRules, saveLightRules } from '../light-rules.ts';
import { createPeriods, listPeriods, updatePeriod } from '../periods.ts';
import { createRanking, deleteRanking, listRankings } from '../rankings.ts';
import {
  actualRevisionView,
  actualView,
  createPeriodsBody,
  frameworkNodeBody,
  frameworkNodePatch,
  frameworkNodeView,
  indicatorBody,
  indicatorHistoryView,
  indicatorPatch,
  indicatorView,
  lightRulesBody,
  lightRulesView,
  overviewQuery,
  overviewView,
  periodKeyParams,
  periodLightsView,
  periodPatch,
  periodView,
  rankingBody,
  rankingView,
  reviewActualBody,
  reviewQueueView,
  saveActualBody,
  unitIndicatorsView,
} from '../schemas.ts';

const tags = ['indicators'];
const year = z.coerce.number().int().min(2000).max(2100);
const indicatorQuery = z.object({
  year: year.optional(),
  unitId: idSchema.optional(),
  nodeId: idSchema.optional(),
});
const periodQuery = z.object({ year: year.optional() });
const rankingQuery = z.object({ indicatorId: idSchema.optional(), unitId: idSchema.optional() });
const actualParams = idParams.extend(periodKeyParams.shape);
const fileParams = z.object({ fileId: idSchema });

/** Framework, indicators, periods, actuals and their evidence, rankings, light rules, dashboards. */
export function indicatorRoutes(app: App): void {
  app.get(
    '/api/framework',
    { schema: { tags, response: { 200: z.array(frameworkNodeView) } } },
    async (req) => listFramework(req.ctx()),
  );
  app.post(
    '/api/framework',
    { schema: { tags, body: frameworkNodeBody, response: { 200: frameworkNodeView } } },
    async (req) => createFrameworkNode(req.ctx(), req.body),
  );
  app.patch(
    '/api/framework/:id',
    { schema: { tags, params: idParams, body: frameworkNodePatch, response: { 200: frameworkNodeView } } },
    async (req) => updateFrameworkNode(req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/framework/:id',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => {
      await deleteFrameworkNode(req.ctx(), req.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/indicators',
    { schema: { tags, querystring: indicatorQuery, response: { 200: z.array(indicatorView) } } },
    async (req) => listIndicators(req.ctx(), req.query),
  );
  app.post(
    '/api/indicators',
    { schema: { tags, body: indicatorBody, response: { 200: indicatorView } } },
    async (req) => createIndicator(req.ctx(), req.body),
  );
  app.get(
    '/api/indicators/:id',
    { schema: { tags, params: idParams, response: { 200: indicatorView } } },
    async (req) => getIndicator(req.ctx(), req.params.id),
  );
  app.patch(
    '/api/indicators/:id',
    { schema: { tags, params: idParams, body: indicatorPatch, response: { 200: indicatorView } } },
    async (req) => updateIndicator(req.ctx(), req.params.id, req.body),
  );
  app.delete(
    '/api/indicators/:id',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => {
      await deleteIndicator(req.ctx(), req.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/periods',
    { schema: { tags, querystring: periodQuery, response: { 200: z.array(periodView) } } },
    async (req) => listPeriods(req.ctx(), req.query),
  );
  app.post(
    '/api/periods',
    { schema: { tags, body: createPeriodsBody, response: { 200: z.array(periodView) } } },
    async (req) => createPeriods(req.ctx(), req.body),
  );
  app.patch(
    '/api/periods/:key',
    { schema: { tags, params: periodKeyParams, body: periodPatch, response: { 200: periodView } } },
    async (req) => updatePeriod(req.ctx(), req.params.key, req.body),
  );

  app.get(
    '/api/indicators/:id/actuals',
    { schema: { tags, params: idParams, response: { 200: z.array(actualView) } } },
    async (req) => listActuals(req.ctx(), req.params.id),
  );
  app.put(
    '/api/indicators/:id/actuals/:key',
    { schema: { tags, params: actualParams, body: saveActualBody, response: { 200: actualView } } },
    async (req) => saveActual(req.ctx(), req.params.id, req.params.key, req.body),
  );
  app.post(
    '/api/indicators/:id/actuals/:key/review',
    { schema: { tags, params: actualParams, body: reviewActualBody, response: { 200: actualView } } },
    async (req) => reviewActual(req.ctx(), req.params.id, req.params.key, req.body),
  );
  app.get(
    '/api/indicators/:id/actuals/:key/revisions',
    { schema: { tags, params: actualParams, response: { 200: z.array(actualRevisionView) } } },
    async (req) => listRevisions(req.ctx(), req.params.id, req.params.key),
  );
  app.post(
    '/api/indicators/:id/actuals/:key/evidence',
    { bodyLimit: MAX_UPLOAD_BYTES, schema: { tags, params: actualParams, response: { 200: actualView } } },
    async (req) => {
      const name = req.headers['x-file-name'];
      return uploadEvidence(req.ctx(), req.params.id, req.params.key, {
        body: req.body,
        fileName: Array.isArray(name) ? name[0] : name,
      });
    },
  );
  app.get('/api/evidence/:fileId', { schema: { tags, params: fileParams } }, async (req, reply) => {
    const f = await downloadEvidence(req.ctx(), req.params.fileId);
    // The stored type was sniffed from the bytes; nosniff keeps browsers from guessing another.
    return sendFile(reply.header('x-content-type-options', 'nosniff'), f.body, f.mime, f.fileName);
  });

  app.get(
    '/api/rankings',
    { schema: { tags, querystring: rankingQuery, response: { 200: z.array(rankingView) } } },
    async (req) => listRankings(req.ctx(), req.query),
  );
  app.post(
    '/api/rankings',
    { schema: { tags, body: rankingBody, response: { 200: rankingView } } },
    async (req) => createRanking(req.ctx(), req.body),
  );
  app.delete(
    '/api/rankings/:id',
    { schema: { tags, params: idParams, response: { 200: okBody } } },
    async (req) => {
      await deleteRanking(req.ctx(), req.params.id);
      return { ok: true as const };
    },
  );

  app.get('/api/light-rules', { schema: { tags, response: { 200: lightRulesView } } }, async (req) =>
    getLightRules(req.ctx()),
  );
  app.put(
    '/api/light-rules',
    { schema: { tags, body: lightRulesBody, response: { 200: lightRulesView } } },
    async (req) => saveLightRules(req.ctx(), req.body),
  );

  app.get(
    '/api/dashboard/overview',
    { schema: { tags, querystring: overviewQuery, response: { 200: overviewView } } },
    async (req) => overview(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/review',
    { schema: { tags, querystring: overviewQuery, response: { 200: reviewQueueView } } },
    async (req) => reviewQueue(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/lights',
    { schema: { tags, querystring: overviewQuery, response: { 200: periodLightsView } } },
    async (req) => periodLights(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/units/:id',
    { schema: { tags, params: idParams, querystring: overviewQuery, response: { 200: unitIndicatorsView } } },
    async (req) => unitPage(req.ctx(), req.params.id, req.query),
  );
  app.get(
    '/api/dashboard/indicators/:id',
    { schema: { tags, params: idParams, response: { 200: indicatorHistoryView } } },
    async (req) => indicatorPage(req.ctx(), req.params.id),
  );
}
