// The test-only switch: internals are exported only when NHS_AUTH_TEST=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestHooks } from '../../src/vscode/testHooks.ts';

test('without NHS_AUTH_TEST=1 the exports are the public API alone, and the hooks are never built', () => {
  let built = 0;
  const hooks = (): { secrets: string } => {
    built += 1;
    return { secrets: 'internal' };
  };
  const api = { apiVersion: 1 };
  for (const env of [{}, { NHS_AUTH_TEST: '0' }, { NHS_AUTH_TEST: 'true' }]) {
    const out = withTestHooks(api, hooks, env);
    assert.equal(out, api);
    assert.ok(!('testing' in out));
  }
  assert.equal(built, 0);
  const testing = withTestHooks(api, hooks, { NHS_AUTH_TEST: '1' });
  assert.deepEqual(testing, { apiVersion: 1, testing: { secrets: 'internal' } });
});
