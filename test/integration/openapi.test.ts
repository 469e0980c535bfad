import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/kernel/canonical-json.ts';
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

// The checked-in list of operations: `METHOD /path <hash>` per line, sorted, where the hash is the first
// 16 hex digits of sha256 over the canonical JSON of the operation object (parameters, bodies,
// responses, tags). Any change of the API shows up as a changed line and must be accepted deliberately.
const SNAPSHOT = join(import.meta.dirname, '..', 'fixtures', 'openapi-operations.txt');
const REFRESH = 'UPDATE_OPENAPI_SNAPSHOT=1 npx vitest run test/integration/openapi.test.ts';

/** One line per operation of the document, sorted. */
function operationLines(paths: Record<string, Record<string, unknown>>): string[] {
  const lines: string[] = [];
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const hash = createHash('sha256').update(canonicalJson(operation)).digest('hex').slice(0, 16);
      lines.push(`${method.toUpperCase()} ${path} ${hash}`);
    }
  }
  return lines.sort();
}

/** Added, removed and changed operations between two snapshots, as a readable report ('' when equal). */
function describeDifference(expected: string[], actual: string[]): string {
  const byOperation = (lines: string[]) =>
    new Map(
      lines.map((l) => {
        const cut = l.lastIndexOf(' ');
        return [l.slice(0, cut), l.slice(cut + 1)] as const;
      }),
    );
  const before = byOperation(expected);
  const after = byOperation(actual);
  const added = [...after.keys()].filter((op) => !before.has(op));
  const removed = [...before.keys()].filter((op) => !after.has(op));
  const changed = [...after.keys()].filter((op) => before.has(op) && before.get(op) !== after.get(op));
  if (added.length + removed.length + changed.length === 0) return '';
  const section = (title: string, ops: string[]) =>
    ops.length === 0 ? [] : [`${title} (${ops.length}):`, ...ops.map((op) => `  ${op}`)];
  return [
    'The served OpenAPI operations differ from test/fixtures/openapi-operations.txt.',
    ...section('added', added),
    ...section('removed', removed),
    ...section('changed (parameters, body, responses or tags)', changed),
    `If the change is intended, refresh the copy deliberately: ${REFRESH}`,
    'and review the diff of test/fixtures/openapi-operations.txt before committing it.',
  ].join('\n');
}

describe.each(dbKinds)('OpenAPI document on %s', (kind) => {
  let t: TestApp;
  /** The document as served, parsed afresh where a test must not see another test's changes. */
  let body: string;
  let doc: { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const res = await anonymous(t).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('application/json');
    body = res.body;
    doc = JSON.parse(res.body);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is an OpenAPI 3 document that lists the core paths and leaves the internal ones out', () => {
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
    // Sorted as a copy: the document is shared by the tests of this file.
    expect([...(schema?.required ?? [])].sort()).toEqual(['password', 'username']);
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

  it('lists the same operations, unchanged, as the checked-in copy', () => {
    const actual = operationLines(JSON.parse(body).paths);
    if (process.env.UPDATE_OPENAPI_SNAPSHOT === '1') {
      writeFileSync(SNAPSHOT, `${actual.join('\n')}\n`);
      return;
    }
    const expected = readFileSync(SNAPSHOT, 'utf8').split('\n').filter(Boolean);
    expect(expected, 'the checked-in copy is sorted').toEqual([...expected].sort());
    const difference = describeDifference(expected, actual);
    expect(difference === '', difference).toBe(true);
    expect(actual).toEqual(expected);
  });
});
