// Environment pairing across profiles: KID names, shared public keys, shared API keys.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiKeyFingerprint,
  environmentPairingFindings,
  kidEnvironmentFindings,
  platformEnvironmentOf,
} from '../../src/core/preflight/environmentPairing.ts';
import type { PairingProfile } from '../../src/core/preflight/environmentPairing.ts';
import { getEnvironment } from '../../src/core/environments.ts';
import { CLIENT_ASSERTION_ERRORS } from '../../src/core/assertion/platformErrors.ts';

const key = (kid: string, thumbprint = `tp-${kid}`): { kid: string; thumbprint: string } => ({
  kid,
  thumbprint,
});
const profile = (
  id: string,
  environmentId: PairingProfile['environmentId'],
  keys: PairingProfile['keys'],
  extra: Partial<PairingProfile> = {},
): PairingProfile => ({ id, name: id, environmentId, keys, ...extra });

describe('environment pairing', () => {
  test('a clean set (test-1 on int, prod-1 on prod, own keys and API keys) has no findings', () => {
    const set = [
      profile('int', 'int-mock', [key('test-1', 'a')], { apiKeyFingerprint: apiKeyFingerprint('int-key') }),
      profile('prod', 'prod', [key('prod-1', 'b')], { apiKeyFingerprint: apiKeyFingerprint('prod-key') }),
    ];
    assert.deepEqual(environmentPairingFindings(set), []);
  });

  test('test-N on production and prod-N on a test environment', () => {
    const f = environmentPairingFindings([
      profile('p', 'prod', [key('test-1')]),
      profile('i', 'int', [key('prod-2')]),
    ]);
    assert.deepEqual(
      f.map((x) => [x.profileId, x.rule]),
      [
        ['p', 'kid-environment'],
        ['i', 'kid-environment'],
      ],
    );
    assert.match(f[0]!.message, /Production.*'test-1'.*a test environment/);
    assert.match(f[1]!.message, /Integration \(oauth2\).*'prod-2'.*production/);
    assert.equal(f[0]!.platformError, CLIENT_ASSERTION_ERRORS.kidUnknown);
  });

  test("KIDs not named the docs' way, and Local profiles, are left alone", () => {
    assert.deepEqual(
      environmentPairingFindings([
        profile('p', 'prod', [key('my-key')]),
        profile('l', 'local', [key('prod-1')]),
      ]),
      [],
    );
  });

  test('one public key in two environments is flagged on both profiles; int and int-mock are one environment', () => {
    const f = environmentPairingFindings([
      profile('a', 'int-mock', [key('test-1', 'same')]),
      profile('b', 'prod', [key('prod-1', 'same')]),
      profile('c', 'int', [key('test-1', 'same')]),
    ]);
    const shared = f.filter((x) => x.rule === 'key-shared-across-environments');
    assert.deepEqual(shared.map((x) => x.profileId).sort(), ['a', 'b', 'c']);
    assert.match(
      shared.find((x) => x.profileId === 'b')!.message,
      /'a' \(Integration \(oauth2-mock\)\), 'c' \(Integration \(oauth2\)\)/,
    );
    assert.doesNotMatch(shared.find((x) => x.profileId === 'a')!.message, /'c'/);
  });

  test('one API key in two environments', () => {
    const fp = apiKeyFingerprint('Abcdefghijklmnopqrstuvwxyz012345');
    const f = environmentPairingFindings([
      profile('a', 'int', [], { apiKeyFingerprint: fp }),
      profile('b', 'prod', [], { apiKeyFingerprint: fp }),
      profile('c', 'int-mock', [], { apiKeyFingerprint: fp }),
    ]);
    assert.deepEqual(
      f.map((x) => [x.profileId, x.rule]),
      [
        ['a', 'api-key-environment'],
        ['b', 'api-key-environment'],
        ['c', 'api-key-environment'],
      ],
    );
    assert.equal(f[0]!.platformError, CLIENT_ASSERTION_ERRORS.issUnknown);
    assert.ok(!JSON.stringify(f).includes('Abcdefghijklmnopqrstuvwxyz012345'));
  });

  test('a custom profile is placed by its token URL', () => {
    assert.equal(
      platformEnvironmentOf({
        environmentId: 'custom',
        customTokenUrl: 'https://api.service.nhs.uk/oauth2/token',
      })?.id,
      'prod',
    );
    assert.equal(
      platformEnvironmentOf({ environmentId: 'custom', customTokenUrl: 'https://idp.example/token' }),
      undefined,
    );
    const f = environmentPairingFindings([
      profile('c', 'custom', [key('test-3')], { customTokenUrl: 'https://api.service.nhs.uk/oauth2/token' }),
    ]);
    assert.deepEqual(
      f.map((x) => x.rule),
      ['kid-environment'],
    );
  });

  test('the fingerprint is one-way and stable', () => {
    assert.equal(apiKeyFingerprint('k1'), apiKeyFingerprint('k1'));
    assert.notEqual(apiKeyFingerprint('k1'), apiKeyFingerprint('k2'));
    assert.ok(!apiKeyFingerprint('k1').includes('k1'));
  });

  test('one assertion: its kid against the environment it targets', () => {
    assert.deepEqual(
      kidEnvironmentFindings('test-1', getEnvironment('prod')).map((f) => f.rule),
      ['kid-environment'],
    );
    assert.deepEqual(kidEnvironmentFindings('prod-1', getEnvironment('prod')), []);
    assert.deepEqual(kidEnvironmentFindings('prod-1', getEnvironment('local')), []);
    assert.match(
      kidEnvironmentFindings('prod-1', getEnvironment('int-mock'))[0]!.message,
      /kid 'prod-1' is named for production/,
    );
  });
});
