import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLAIM_EXPLANATIONS,
  explainClaim,
  explainHeader,
} from '../../src/core/inspector/claimExplanations.ts';
import { isValidNhsNumber } from '../../src/core/inspector/nhsNumber.ts';

describe('claim explanations', () => {
  test('every NHS login and CIS2 claim the platform documents is explained', () => {
    for (const name of [
      'nhs_number',
      'identity_proofing_level',
      'vot',
      'acr',
      'amr',
      'id_assurance_level',
      'authentication_assurance_level',
      'selected_roleid',
      'token_use',
      'id_status',
      'realm',
      'tokenName',
      'vtm',
      'auth_time',
    ]) {
      assert.ok(CLAIM_EXPLANATIONS[name], name);
    }
  });

  test('identity proofing levels', () => {
    assert.match(
      explainClaim('identity_proofing_level', 'P9')?.valueMeaning ?? '',
      /highest identity verification/,
    );
    assert.match(explainClaim('identity_proofing_level', 'P5')?.valueMeaning ?? '', /medium/);
    assert.match(
      explainClaim('identity_proofing_level', 'P0')?.valueMeaning ?? '',
      /no identity verification/,
    );
  });

  test('assurance levels accept ints and strings (fixtures differ)', () => {
    assert.match(explainClaim('authentication_assurance_level', 3)?.valueMeaning ?? '', /AAL3.*smartcard/);
    assert.equal(
      explainClaim('authentication_assurance_level', '3')?.valueMeaning,
      explainClaim('authentication_assurance_level', 3)?.valueMeaning,
    );
    assert.match(explainClaim('authentication_assurance_level', 1)?.valueMeaning ?? '', /single factor/);
    assert.match(explainClaim('id_assurance_level', 3)?.valueMeaning ?? '', /in person/);
  });

  test('vot is split into identity level and credentials', () => {
    const m = explainClaim('vot', 'P9.Cp.Cd')?.valueMeaning ?? '';
    assert.match(m, /^P9: highest identity verification; Cp: password; Cd: one-time code/);
    assert.match(explainClaim('vot', 'P5.Zz')?.valueMeaning ?? '', /Zz: unknown component/);
  });

  test('acr and amr', () => {
    assert.match(
      explainClaim('acr', 'AAL3_ANY')?.valueMeaning ?? '',
      /AAL3 with any suitable method.*smartcard/,
    );
    assert.match(explainClaim('acr', 'AAL2_OR_AAL3_ANY')?.valueMeaning ?? '', /AAL2 or AAL3/);
    assert.equal(explainClaim('acr', 'something')?.valueMeaning, undefined);
    assert.equal(explainClaim('amr', ['N3_SMARTCARD', 'X'])?.valueMeaning, 'NHS smartcard (AAL3), X');
  });

  test('token_use, id_status, realm values', () => {
    assert.match(explainClaim('token_use', 'id')?.valueMeaning ?? '', /ID token/);
    assert.match(explainClaim('id_status', 'verified')?.valueMeaning ?? '', /verified/);
    assert.match(explainClaim('realm', '/NHSIdentity/Healthcare')?.valueMeaning ?? '', /care professionals/);
  });

  test('nhs_number check digit', () => {
    assert.equal(isValidNhsNumber('9912003071'), true);
    assert.equal(isValidNhsNumber('943 476 5919'), true);
    assert.equal(isValidNhsNumber('9912003072'), false);
    assert.equal(isValidNhsNumber('12345'), false);
    assert.match(explainClaim('nhs_number', '9912003071')?.valueMeaning ?? '', /Valid check digit/);
    assert.match(explainClaim('nhs_number', '9912003072')?.valueMeaning ?? '', /does not match/);
  });

  test('unknown and prototype names are not explained', () => {
    assert.equal(explainClaim('made_up', 1), undefined);
    assert.equal(explainClaim('__proto__', 1), undefined);
    assert.equal(explainClaim('toString', 1), undefined);
    assert.match(explainHeader('alg', 'none')?.valueMeaning ?? '', /never accept/);
  });
});
