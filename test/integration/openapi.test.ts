import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/db.ts';
import { anonymous, createTestApp, type TestApp } from '../support/http.ts';

interface Operation {
  tags?: string[];
  requestBody?: {
    content: Record<
      string,
      { schema: { type?: string; properties?: Record<string, unknown>; required?: string[] } }
    >;
  };
  responses?: Record<string, unknown>;
}

describe.each(dbKinds)('OpenAPI document on %s', (kind) => {
  let t: TestApp;
  let doc: { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const res = await anonymous(t).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('application/json');
    doc = JSON.parse(res.body);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is an OpenAPI 3 document generated from the same schemas the server validates with', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/auth/me',
        '/api/users',
        '/api/units',
        '/api/units/{id}',
        '/api/tracks',
      ]),
    );
    // Internal routes stay out of the public document.
    expect(doc.paths['/api/openapi.json']).toBeUndefined();
  });

  it('describes the sign-in request body', () => {
    const login = doc.paths['/api/auth/login']?.post;
    const schema = login?.requestBody?.content['application/json']?.schema;
    expect(schema?.type).toBe('object');
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(['password', 'username']);
    expect(schema?.required?.sort()).toEqual(['password', 'username']);
    expect(login?.responses?.['200']).toBeDefined();
  });

  it('describes the unit routes with their request schemas', () => {
    const units = doc.paths['/api/units'];
    expect(units?.get?.responses?.['200']).toBeDefined();
    const create = units?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(create?.properties ?? {})).toEqual(
      expect.arrayContaining(['code', 'name', 'shortName', 'kind', 'trackId', 'sort']),
    );
    expect(create?.required).toEqual(expect.arrayContaining(['code', 'name', 'kind']));
    const patch = doc.paths['/api/units/{id}']?.patch?.requestBody?.content['application/json']?.schema;
    expect(patch?.properties).toBeDefined();
    expect(patch?.required ?? []).toEqual([]);
  });
});
