import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainError } from '../../src/core/explain/explainError.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';

test('local errors keep their own message as the cause and get a title and fix', () => {
  const e = explainError(
    new AuthExplorerError('ERR_KEY_SIZE', 'The key is 2048-bit; the platform requires 4096.'),
  );
  assert.equal(e.id, 'key-size');
  assert.deepEqual(e.causes, ['The key is 2048-bit; the platform requires 4096.']);
  assert.match(e.fix, /4096-bit/);
  const pass = explainError(new AuthExplorerError('ERR_PKCS12_PASSPHRASE', 'MAC verification failed'));
  assert.equal(pass.title, 'Wrong PKCS#12 passphrase');
});

test('an unknown error is still explained, with its message', () => {
  const e = explainError(new Error('boom'));
  assert.equal(e.id, 'unexpected');
  assert.deepEqual(e.causes, ['boom']);
});
