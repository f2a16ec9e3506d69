import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair } from '../../src/core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../src/core/keys/generateKeyPair.ts';
import {
  activeKey,
  addKey,
  createProfile,
  deleteKey,
  nextKidFor,
  profileAuthorizeUrl,
  profileJwks,
  profileTokenUrl,
  reactivateKey,
  requireActiveKey,
  retireKey,
  updateProfile,
  validateProfileName,
} from '../../src/core/profiles/profile.ts';
import type { Profile } from '../../src/core/profiles/profile.ts';
import { createKeyRecord } from '../../src/core/profiles/keyRecord.ts';
import { reviveProfiles } from '../../src/core/profiles/reviveProfiles.ts';
import { jwkThumbprint } from '../../src/core/keys/jwks.ts';

let pair: KeyPairPem;

describe('profiles', () => {
  before(async () => {
    pair = await generateKeyPair();
  });

  test('createProfile validates name, environment and URLs', () => {
    const p = createProfile({ name: '  My INT app ', environmentId: 'int-mock', now: 5, id: 'p1' });
    assert.deepEqual(p, {
      id: 'p1',
      name: 'My INT app',
      environmentId: 'int-mock',
      keys: [],
      kidsEverUsed: [],
      hasClientSecret: false,
      createdAt: 5,
    });
    assert.throws(() => createProfile({ name: 'my int APP', environmentId: 'int' }, [p]), {
      code: 'ERR_ARGUMENT',
    });
    assert.throws(() => createProfile({ name: '', environmentId: 'int' }), { code: 'ERR_ARGUMENT' });
    assert.throws(() => createProfile({ name: 'x', environmentId: 'nope' as never }), {
      code: 'ERR_ARGUMENT',
    });
    assert.throws(() => createProfile({ name: 'c', environmentId: 'custom' }), { code: 'ERR_ARGUMENT' });
    assert.throws(() => createProfile({ name: 'c', environmentId: 'custom', customTokenUrl: 'nope' }), {
      code: 'ERR_URL_INVALID',
    });
    assert.throws(
      () => createProfile({ name: 'c', environmentId: 'int', callbackUrl: 'javascript:alert(1)' }),
      { code: 'ERR_URL_INVALID' },
    );
    const c = createProfile({ name: 'c', environmentId: 'custom', customTokenUrl: 'https://idp.test/token' });
    assert.equal(profileTokenUrl(c), 'https://idp.test/token');
    assert.equal(profileAuthorizeUrl(c), undefined);
    assert.equal(profileTokenUrl(p), 'https://int.api.service.nhs.uk/oauth2-mock/token');
    assert.equal(validateProfileName('ok'), undefined);
    assert.match(validateProfileName('x'.repeat(61)) ?? '', /60/);
    assert.match(validateProfileName('a\u0007b') ?? '', /control/);
  });

  test('rotation: add a new key while the old stays active; retire; delete keeps KID history', async () => {
    let p: Profile = createProfile({ name: 'rot', environmentId: 'int-mock' });
    assert.equal(activeKey(p), undefined);
    assert.throws(() => requireActiveKey(p), { code: 'ERR_NO_ACTIVE_KEY' });
    assert.equal(nextKidFor(p), 'test-1');
    const k1 = await createKeyRecord(nextKidFor(p), pair.publicKeyPem, 1000);
    assert.equal(k1.thumbprint, await jwkThumbprint(k1.publicJwk));
    const before = p;
    p = addKey(p, k1);
    assert.equal(before.keys.length, 0, 'addKey must not mutate');
    assert.equal(nextKidFor(p), 'test-2');
    const k2 = await createKeyRecord('test-2', pair.privateKeyPem, 2000);
    p = addKey(p, k2);
    assert.equal(activeKey(p)?.kid, 'test-2');
    assert.deepEqual(
      profileJwks(p).keys.map((k) => k.kid),
      ['test-1', 'test-2'],
    );
    p = retireKey(p, 'test-2');
    assert.equal(activeKey(p)?.kid, 'test-1');
    p = reactivateKey(p, 'test-2');
    p = retireKey(p, 'test-1');
    assert.equal(activeKey(p)?.kid, 'test-2');
    // A retired key leaves the published JWKS; only active keys are live.
    assert.deepEqual(
      profileJwks(p).keys.map((k) => k.kid),
      ['test-2'],
    );
    p = deleteKey(p, 'test-1');
    assert.deepEqual(
      profileJwks(p).keys.map((k) => k.kid),
      ['test-2'],
    );
    assert.deepEqual(p.kidsEverUsed, ['test-1', 'test-2']);
    assert.equal(nextKidFor(p), 'test-3');
    // A deleted KID can never come back.
    await assert.rejects(async () => addKey(p, await createKeyRecord('test-1', pair.publicKeyPem)), {
      code: 'ERR_KID_EXISTS',
    });
    assert.throws(() => retireKey(p, 'test-9'), { code: 'ERR_KID_UNKNOWN' });
    assert.throws(() => deleteKey(p, 'test-1'), { code: 'ERR_KID_UNKNOWN' });
  });

  test('production profiles use prod-N KIDs', () => {
    assert.equal(nextKidFor(createProfile({ name: 'live', environmentId: 'prod' })), 'prod-1');
  });

  test('updateProfile renames, switches environment and clears URLs', () => {
    const p = createProfile({
      name: 'a',
      environmentId: 'custom',
      customTokenUrl: 'https://x.test/token',
      id: 'a',
    });
    const other = createProfile({ name: 'b', environmentId: 'int', id: 'b' });
    assert.throws(() => updateProfile(p, { name: 'B' }, [p, other]), { code: 'ERR_ARGUMENT' });
    const q = updateProfile(
      p,
      { name: 'a2', environmentId: 'int', customTokenUrl: undefined, hasClientSecret: true },
      [p, other],
    );
    assert.equal(q.name, 'a2');
    assert.equal('customTokenUrl' in q, false);
    assert.equal(q.hasClientSecret, true);
    assert.equal(p.name, 'a');
    assert.throws(() => updateProfile(q, { environmentId: 'custom' }), { code: 'ERR_ARGUMENT' });
  });

  test('reviveProfiles keeps good stored data and drops junk', async () => {
    const k1 = await createKeyRecord('test-1', pair.publicKeyPem, 1);
    const good = addKey(createProfile({ name: 'g', environmentId: 'sandbox', id: 'g' }), k1);
    const stored = JSON.parse(
      JSON.stringify([
        good,
        { id: 'x' },
        null,
        'str',
        { ...good, name: 'dup' },
        { ...good, id: 'h', kidsEverUsed: undefined, keys: [k1, { kid: 'bad' }] },
      ]),
    );
    const revived = reviveProfiles(stored);
    assert.deepEqual(
      revived.map((p) => p.id),
      ['g', 'h'],
    );
    assert.deepEqual(revived[0], good);
    assert.deepEqual(revived[1]?.kidsEverUsed, ['test-1']);
    assert.equal(revived[1]?.keys.length, 1);
    assert.deepEqual(reviveProfiles({}), []);
  });
});
