import { idParams } from '../../../kernel/schemas.ts';
import type { App } from '../../../platform/http/app.ts';
import { getJudgeState } from '../judge-state.ts';
import { getProgress } from '../progress.ts';
import {
  closeSlotBody,
  eventDetail,
  eventSlotParams,
  judgeState,
  progressView,
  reopenRequestBody,
  slotView,
  submitScoreBody,
  submitScoreResult,
} from '../schemas.ts';
import { closeSlot, lockEvent, openSlot, reopenSlot } from '../slot-control.ts';
import { submitScore } from '../submit-score.ts';

export function scoringRoutes(app: App): void {
  const slotRoute = { tags: ['scoring'], params: eventSlotParams, response: { 200: slotView } };
  app.post('/api/events/:id/slots/:slotId/open', { schema: slotRoute }, async (req) =>
    openSlot(req.ctx(), req.params.id, req.params.slotId),
  );
  app.post(
    '/api/events/:id/slots/:slotId/close',
    { schema: { ...slotRoute, body: closeSlotBody } },
    async (req) =>
      closeSlot(req.ctx(), req.params.id, req.params.slotId, {
        confirmBelowQuorum: req.body?.confirmBelowQuorum,
      }),
  );
  app.post(
    '/api/events/:id/slots/:slotId/reopen',
    { schema: { ...slotRoute, body: reopenRequestBody } },
    async (req) =>
      reopenSlot(req.ctx(), req.params.id, req.params.slotId, req.body.reason, {
        withdrawPublication: req.body.withdrawPublication,
      }),
  );
  app.get(
    '/api/events/:id/progress',
    { schema: { tags: ['scoring'], params: idParams, response: { 200: progressView } } },
    async (req) => getProgress(req.ctx(), req.params.id),
  );
  app.post(
    '/api/events/:id/lock',
    { schema: { tags: ['scoring'], params: idParams, response: { 200: eventDetail } } },
    async (req) => lockEvent(req.ctx(), req.params.id),
  );

  app.get('/api/judge/state', { schema: { tags: ['judge'], response: { 200: judgeState } } }, async (req) =>
    getJudgeState(req.ctx()),
  );
  app.post(
    '/api/judge/scores',
    { schema: { tags: ['judge'], body: submitScoreBody, response: { 200: submitScoreResult } } },
    async (req) => submitScore(req.ctx(), req.body),
  );
}
