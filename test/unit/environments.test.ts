import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENVIRONMENTS,
  authorizeUrlFor,
  environmentOfTokenUrl,
  getEnvironment,
  tokenUrlFor,
} from '../../src/core/environments.ts';

describe('environments', () => {
  test('catalogue has every id once and matches the docs table', () => {
    const ids = ENVIRONMENTS.map((e) => e.id);
    assert.deepEqual(ids, [
      'local',
      'sandbox',
      'dev',
      'dev-no-smartcard',
      'int-mock',
      'int-no-smartcard',
      'int',
      'prod',
      'custom',
    ]);
    assert.equal(getEnvironment('dev').nhsLoginPair, 'Sandpit');
    assert.equal(getEnvironment('int').nhsLoginPair, 'Integration');
    assert.equal(getEnvironment('prod').nhsLoginPair, 'Live production');
    assert.equal(getEnvironment('int-no-smartcard').deprecated, true);
    assert.equal(getEnvironment('prod').kidPrefix, 'prod');
    assert.ok(ENVIRONMENTS.filter((e) => e.id !== 'prod').every((e) => e.kidPrefix === 'test'));
    assert.equal(
      getEnvironment('sandbox').availability,
      'Hello World API only (all other sandbox APIs are open access)',
    );
  });

  test('token and authorize URLs for every platform environment', () => {
    const expected: Record<string, string> = {
      sandbox: 'https://sandbox.api.service.nhs.uk/oauth2/token',
      dev: 'https://dev.api.service.nhs.uk/oauth2/token',
      'dev-no-smartcard': 'https://dev.api.service.nhs.uk/oauth2-no-smartcard/token',
      'int-mock': 'https://int.api.service.nhs.uk/oauth2-mock/token',
      'int-no-smartcard': 'https://int.api.service.nhs.uk/oauth2-no-smartcard/token',
      int: 'https://int.api.service.nhs.uk/oauth2/token',
      prod: 'https://api.service.nhs.uk/oauth2/token',
    };
    for (const [id, url] of Object.entries(expected)) {
      const env = getEnvironment(id as never);
      assert.equal(tokenUrlFor(env), url);
      assert.equal(authorizeUrlFor(env), url.replace(/token$/, 'authorize'));
      assert.equal(environmentOfTokenUrl(url)?.id, id, `reverse lookup of ${url}`);
    }
  });

  test('local uses the emulator URL; custom uses the given URLs', () => {
    const local = getEnvironment('local');
    assert.equal(
      tokenUrlFor(local, { emulatorUrl: 'http://127.0.0.1:4010/' }),
      'http://127.0.0.1:4010/oauth2/token',
    );
    assert.equal(
      authorizeUrlFor(local, { emulatorUrl: 'http://127.0.0.1:4010' }),
      'http://127.0.0.1:4010/oauth2/authorize',
    );
    assert.throws(() => tokenUrlFor(local), { code: 'ERR_ARGUMENT' });
    const custom = getEnvironment('custom');
    assert.equal(
      tokenUrlFor(custom, { customTokenUrl: 'https://auth.example.test/token' }),
      'https://auth.example.test/token',
    );
    assert.equal(authorizeUrlFor(custom), undefined);
    assert.throws(() => tokenUrlFor(custom), { code: 'ERR_ARGUMENT' });
    assert.throws(() => tokenUrlFor(custom, { customTokenUrl: 'not a url' }), { code: 'ERR_URL_INVALID' });
    assert.throws(() => tokenUrlFor(custom, { customTokenUrl: 'ftp://x/token' }), {
      code: 'ERR_URL_INVALID',
    });
  });

  test('environmentOfTokenUrl ignores unknown hosts, http, paths and garbage', () => {
    assert.equal(environmentOfTokenUrl('https://example.com/oauth2/token'), undefined);
    assert.equal(environmentOfTokenUrl('http://int.api.service.nhs.uk/oauth2/token'), undefined);
    assert.equal(environmentOfTokenUrl('https://int.api.service.nhs.uk/oauth2/authorize'), undefined);
    assert.equal(environmentOfTokenUrl('::'), undefined);
    assert.equal(environmentOfTokenUrl('https://INT.api.service.nhs.uk/oauth2-mock/token')?.id, 'int-mock');
  });

  test('getEnvironment rejects unknown ids', () => {
    assert.throws(() => getEnvironment('staging' as never), { code: 'ERR_ARGUMENT' });
  });
});
