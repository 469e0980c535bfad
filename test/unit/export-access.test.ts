import { describe, expect, it } from 'vitest';
import { mayExport, type ResultsFile } from '../../src/modules/event/domain/export-access.ts';

describe('who may take the results out', () => {
  const files: ResultsFile[] = ['xlsx', 'print', 'json'];
  it.each([
    // role, published, [xlsx, print, json]
    ['organizer', false, [true, true, true]],
    ['organizer', true, [true, true, true]],
    ['observer', false, [true, true, true]],
    ['leader', false, [false, false, false]],
    ['leader', true, [true, true, false]],
    ['reporter', true, [false, false, false]],
    ['judge', true, [false, false, false]],
  ] as const)('%s, published %s', (role, published, allowed) => {
    expect(files.map((f) => mayExport(role, f, published))).toEqual(allowed);
  });
});
