// Livelihood projects and supervision over HTTP: each route validates, calls one use case, replies.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { idParams, importResult } from '../../kernel/schemas.ts';
import { MAX_UPLOAD_BYTES, XLSX_MIME } from '../../platform/excel.ts';
import type { App } from '../../platform/http/app.ts';
import { sendFile, xlsxUpload } from '../../platform/http/files.ts';
import { printPageHeaders } from '../../platform/http/print.ts';
import { inbox } from './inbox.ts';
import { bulletin, bulletinPage, bulletinWorkbook, dashboard, listsWorkbook } from './overview.ts';
import { readEvidencePhoto } from './photos.ts';
import { importProjects } from './project-import.ts';
import {
  getProject,
  listProjects,
  reviewUpdate,
  saveProject,
  submitUpdate,
  uploadUpdatePhoto,
} from './projects.ts';
import {
  bulletinQuery,
  bulletinView,
  dashboardView,
  evidencePhoto,
  inboxView,
  photoQuery,
  projectBody,
  projectDetail,
  projectSummary,
  reviewUpdateBody,
  settingsBody,
  stepBody,
  taskBody,
  taskDetail,
  taskSummary,
  tasksQuery,
  updateBody,
  visitBody,
  visitDetail,
  visitSummary,
} from './schemas.ts';
import { getSettings, listLeaders, saveSettings } from './settings.ts';
import { createTask, getTask, listTasks, stepTask, uploadTaskPhoto } from './tasks.ts';
import { createVisit, getVisit, listVisits } from './visits.ts';

const tags = ['supervision'];

const sendImage = (reply: FastifyReply, image: { data: Buffer; mime: string }) =>
  reply
    .header('content-type', image.mime)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=3600')
    .send(image.data);

export function registerSupervisionRoutes(app: App): void {
  app.get('/api/supervision/settings', { schema: { tags, response: { 200: settingsBody } } }, async (req) =>
    getSettings(req.ctx()),
  );
  app.put(
    '/api/supervision/settings',
    { schema: { tags, body: settingsBody, response: { 200: settingsBody } } },
    async (req) => saveSettings(req.ctx(), req.body),
  );

  app.get(
    '/api/supervision/leaders',
    { schema: { tags, response: { 200: z.array(z.object({ id: z.string(), name: z.string() })) } } },
    async (req) => listLeaders(req.ctx()),
  );

  // ----- tasks -----
  app.get(
    '/api/supervision/tasks',
    { schema: { tags, querystring: tasksQuery, response: { 200: z.array(taskSummary) } } },
    async (req) => listTasks(req.ctx(), req.query),
  );
  app.post(
    '/api/supervision/tasks',
    { schema: { tags, body: taskBody, response: { 200: taskDetail } } },
    async (req) => createTask(req.ctx(), req.body),
  );
  app.get(
    '/api/supervision/tasks/:id',
    { schema: { tags, params: idParams, response: { 200: taskDetail } } },
    async (req) => getTask(req.ctx(), req.params.id),
  );
  app.post(
    '/api/supervision/tasks/:id/steps',
    { schema: { tags, params: idParams, body: stepBody, response: { 200: taskDetail } } },
    async (req) => stepTask(req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/supervision/tasks/:id/photos',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: { tags, params: idParams, querystring: photoQuery, response: { 200: evidencePhoto } },
    },
    async (req) => uploadTaskPhoto(req.ctx(), req.params.id, req.body, req.query.pair ?? null),
  );
  app.get('/api/supervision/photos/:id', { schema: { tags, params: idParams } }, async (req, reply) =>
    sendImage(reply, await readEvidencePhoto(req.ctx(), req.params.id)),
  );

  // ----- visits -----
  app.get(
    '/api/supervision/visits',
    { schema: { tags, response: { 200: z.array(visitSummary) } } },
    async (req) => listVisits(req.ctx()),
  );
  app.post(
    '/api/supervision/visits',
    { schema: { tags, body: visitBody, response: { 200: visitDetail } } },
    async (req) => createVisit(req.ctx(), req.body),
  );
  app.get(
    '/api/supervision/visits/:id',
    { schema: { tags, params: idParams, response: { 200: visitDetail } } },
    async (req) => getVisit(req.ctx(), req.params.id),
  );

  // ----- projects -----
  app.post(
    '/api/supervision/projects/import',
    { ...xlsxUpload, schema: { tags, response: { 200: importResult } } },
    async (req) => importProjects(req.ctx(), req.body as Buffer),
  );
  app.get(
    '/api/supervision/projects',
    { schema: { tags, response: { 200: z.array(projectSummary) } } },
    async (req) => listProjects(req.ctx()),
  );
  app.post(
    '/api/supervision/projects',
    { schema: { tags, body: projectBody, response: { 200: projectDetail } } },
    async (req) => saveProject(req.ctx(), null, req.body),
  );
  app.get(
    '/api/supervision/projects/:id',
    { schema: { tags, params: idParams, response: { 200: projectDetail } } },
    async (req) => getProject(req.ctx(), req.params.id),
  );
  app.put(
    '/api/supervision/projects/:id',
    { schema: { tags, params: idParams, body: projectBody, response: { 200: projectDetail } } },
    async (req) => saveProject(req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/supervision/projects/:id/photos',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: { tags, params: idParams, querystring: photoQuery, response: { 200: evidencePhoto } },
    },
    async (req) => uploadUpdatePhoto(req.ctx(), req.params.id, req.body, req.query.pair ?? null),
  );
  app.post(
    '/api/supervision/projects/:id/updates',
    { schema: { tags, params: idParams, body: updateBody, response: { 200: projectDetail } } },
    async (req) => submitUpdate(req.ctx(), req.params.id, req.body),
  );
  app.post(
    '/api/supervision/updates/:id/review',
    { schema: { tags, params: idParams, body: reviewUpdateBody, response: { 200: projectDetail } } },
    async (req) => reviewUpdate(req.ctx(), req.params.id, req.body),
  );

  // ----- overview -----
  app.get('/api/supervision/inbox', { schema: { tags, response: { 200: inboxView } } }, async (req) =>
    inbox(req.ctx()),
  );
  app.get('/api/supervision/dashboard', { schema: { tags, response: { 200: dashboardView } } }, async (req) =>
    dashboard(req.ctx()),
  );
  app.get(
    '/api/supervision/bulletin',
    { schema: { tags, querystring: bulletinQuery, response: { 200: bulletinView } } },
    async (req) => bulletin(req.ctx(), req.query.from, req.query.to),
  );
  app.get(
    '/api/supervision/bulletin/print',
    { schema: { tags, querystring: bulletinQuery } },
    async (req, reply) => {
      const html = await bulletinPage(req.ctx(), req.query.from, req.query.to);
      return reply.headers(printPageHeaders).send(html);
    },
  );
  app.get(
    '/api/supervision/bulletin/export',
    { schema: { tags, querystring: bulletinQuery } },
    async (req, reply) =>
      sendFile(
        reply,
        await bulletinWorkbook(req.ctx(), req.query.from, req.query.to),
        XLSX_MIME,
        `督查通报-${req.query.from}-${req.query.to}.xlsx`,
      ),
  );
  app.get('/api/supervision/lists/export', { schema: { tags } }, async (req, reply) =>
    sendFile(reply, await listsWorkbook(req.ctx()), XLSX_MIME, '工作清单和责任清单.xlsx'),
  );
}
