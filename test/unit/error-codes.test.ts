import { test, suite } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthExplorerError,
  hasErrorCode,
  isAuthExplorerError,
  toAuthExplorerError,
} from '../../src/core/errors.ts';
import type { ErrorCode } from '../../src/core/errors.ts';
import { CODE_EXPLANATIONS, explainCode } from '../../src/core/explain/codeExplanations.ts';
import { explainError } from '../../src/core/explain/explainError.ts';

const CODES = Object.keys(CODE_EXPLANATIONS) as ErrorCode[];

suite('error codes', () => {
  test('every code explains itself with a title, at least one cause and a fix', () => {
    assert.ok(CODES.length >= 40);
    for (const code of CODES) {
      const x = explainCode(code, {}, {}, 'the message');
      assert.equal(x.code, code);
      assert.ok(x.id && x.title && x.fix, code);
      assert.ok(x.causes.length > 0 && x.causes.every((c) => c.length > 0), code);
    }
  });

  test('no two codes share an explanation id, so the UI says different things for each', () => {
    const ids = CODES.map((code) => explainCode(code, {}, {}, undefined).id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });

  test('a local error keeps its own message as the cause', () => {
    const x = explainError(
      new AuthExplorerError('ERR_NEEDS_EMULATOR', 'Mock users live in the local emulator.'),
    );
    assert.equal(x.id, 'needs-emulator');
    assert.deepEqual(x.causes, ['Mock users live in the local emulator.']);
    assert.notEqual(
      explainError(new AuthExplorerError('ERR_FILE_WRITE', 'Cannot write x')).title,
      explainError(new AuthExplorerError('ERR_ARGUMENT', 'Cannot write x')).title,
    );
  });

  test('is() and hasErrorCode() narrow the details to the code', () => {
    const e: unknown = new AuthExplorerError('ERR_OAUTH', 'HTTP 401 invalid_grant', {
      status: 401,
      error: 'invalid_grant',
    });
    assert.ok(isAuthExplorerError(e));
    assert.equal(e.is('ERR_OAUTH') && e.details.error, 'invalid_grant');
    assert.equal(e.is('ERR_HTTP_TIMEOUT'), false);
    assert.ok(hasErrorCode(e, 'ERR_OAUTH') && e.details.status === 401);
    assert.equal(hasErrorCode(new Error('x'), 'ERR_OAUTH'), false);
    // A switch on the code narrows too.
    if (isAuthExplorerError(e)) {
      switch (e.code) {
        case 'ERR_OAUTH':
          assert.equal(e.details.error, 'invalid_grant');
          break;
        default:
          assert.fail(e.code);
      }
    }
  });

  test('anything thrown becomes ERR_INTERNAL with its message', () => {
    const e = toAuthExplorerError(new TypeError('boom'));
    assert.equal(e.code, 'ERR_INTERNAL');
    assert.equal(e.message, 'boom');
    assert.deepEqual(e.details, {});
  });
});
