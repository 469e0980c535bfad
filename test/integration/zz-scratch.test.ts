import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { anonymous, createTestApp } from '../support/http.ts';
it('dump', async () => {
  const t = await createTestApp('sqlite');
  const res = await anonymous(t).get('/api/openapi.json');
  writeFileSync('/tmp/rt/current-full.json', res.body);
  await t.close();
});
