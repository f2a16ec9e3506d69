import * as assert from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { KeyRecord } from '../../src/core/profiles/profile.ts';
import type { LintFinding } from '../../src/core/assertion/lintAssertion.ts';
import { decodeJwtParts } from '../../src/core/jwt/decode.ts';
import { activateExtension } from './extensionApi.ts';
import { assertAbsent, placesSecretsMustNotBe } from './secretScan.ts';

suite('profiles, keys and assertions', () => {
  let profileId: string;
  let first: KeyRecord;

  test('add a local-emulator profile: it appears in the Environments tree', async () => {
    const api = await activateExtension();
    profileId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'local',
      name: 'Keys test',
    }))!;
    assert.ok(profileId, 'addProfile returned the new profile id');
    const roots = await api.tree.getChildren();
    const node = roots.find((n) => n.kind === 'profile' && n.profile.id === profileId);
    assert.ok(node, 'the tree lists the profile');
    assert.strictEqual(node.label, 'Keys test');
    const children = await api.tree.getChildren(node);
    assert.ok(
      children.some((c) => c.kind === 'action'),
      'an empty profile invites "Generate a key pair"',
    );
  });

  test('a failing command explains itself: no VS Code "command failed", and it throws only when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nhs-nokey-'));
    const uri = vscode.Uri.file(join(dir, 'none.json'));
    assert.strictEqual(
      await vscode.commands.executeCommand('nhsAuth.exportJwks', { profileId, uri }),
      undefined,
    );
    await assert.rejects(
      async () => vscode.commands.executeCommand('nhsAuth.exportJwks', { profileId, uri, throwErrors: true }),
      (e: Error & { code?: string }) => e.code === 'ERR_NO_ACTIVE_KEY' || /no active key/.test(e.message),
    );
  });

  test('generate a key: test-1, private key only in SecretStorage, and commands still run meanwhile', async () => {
    const api = await activateExtension();
    const generating = vscode.commands.executeCommand<KeyRecord>('nhsAuth.generateKey', profileId);
    // The extension host stays responsive while node:crypto generates the 4096-bit key.
    const t0 = Date.now();
    const copied = await vscode.commands.executeCommand<string>('nhsAuth.copyJwks', profileId);
    const responsiveMs = Date.now() - t0;
    assert.deepStrictEqual(
      JSON.parse(copied!),
      { keys: [] },
      'a command ran (and saw no key yet) during generation',
    );
    first = (await generating)!;
    console.log(`command-during-keygen-ms: ${responsiveMs}`);
    assert.strictEqual(first.kid, 'test-1');
    assert.strictEqual(first.status, 'active');
    const pem = await api.services.keyring.privateKey(profileId, 'test-1');
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----/);
    const haystack = await placesSecretsMustNotBe(api);
    const pemBody = pem.split('\n').slice(1, 4).join('');
    assertAbsent(haystack, [pemBody], 'extension state, settings or workspace');
    assert.ok(haystack.includes('test-1'), 'the KID itself is ordinary metadata in extension state');
  });

  test('export the JWKS: RS512, use sig, the kid, 4096-bit modulus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nhs-jwks-'));
    const uri = vscode.Uri.file(join(dir, 'test-1.json'));
    await vscode.commands.executeCommand('nhsAuth.exportJwks', { profileId, uri });
    const jwks = JSON.parse(await readFile(uri.fsPath, 'utf8')) as { keys: Record<string, string>[] };
    assert.strictEqual(jwks.keys.length, 1);
    const k = jwks.keys[0]!;
    assert.deepStrictEqual([k.kty, k.alg, k.use, k.kid, k.e], ['RSA', 'RS512', 'sig', 'test-1', 'AQAB']);
    assert.strictEqual(Buffer.from(k.n!, 'base64url').length, 512, '4096-bit modulus');
    assert.ok(!('d' in k), 'no private member in the JWKS');
  });

  test('sign an assertion and lint it clean; a tampered one is rejected with the platform error', async () => {
    const api = await activateExtension();
    const jwt = (await vscode.commands.executeCommand<string>('nhsAuth.signAssertion', {
      profileId,
      silent: true,
    }))!;
    const { header, payload } = decodeJwtParts(jwt);
    assert.deepStrictEqual(header, { alg: 'RS512', typ: 'JWT', kid: 'test-1' });
    assert.strictEqual(payload.iss, payload.sub);
    assert.strictEqual(payload.aud, `${await api.services.emulator.url()}/oauth2/token`);
    assert.strictEqual(await vscode.env.clipboard.readText(), jwt, 'the assertion was copied');
    // The jti was just recorded as used, so a re-lint of the same JWT must flag reuse and nothing else.
    const findings = (await vscode.commands.executeCommand<LintFinding[]>('nhsAuth.lintAssertion', {
      profileId,
      jwt,
      silent: true,
    }))!;
    assert.deepStrictEqual(
      findings
        .filter((f) => f.severity === 'error')
        .map((f) => f.rule)
        .filter((r) => !/jti/.test(r)),
      [],
    );
    const [h, p] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, aud: 'https://api.service.nhs.uk/oauth2/token', jti: 'fresh-jti-1' })).toString('base64url')}.${jwt.split('.')[2]}`;
    const bad = (await vscode.commands.executeCommand<LintFinding[]>('nhsAuth.lintAssertion', {
      profileId,
      jwt: forged,
      silent: true,
    }))!;
    const errors = bad.filter((f) => f.severity === 'error');
    assert.ok(
      errors.some(
        (f) =>
          f.platformError?.error_description === "Missing or invalid 'aud' claim in client_assertion JWT",
      ),
      'aud for production is flagged verbatim',
    );
    assert.ok(
      errors.some((f) => f.platformError?.error_description === 'JWT signature verification failed'),
      'the signature no longer verifies',
    );
  });

  test('rotate: test-2 signs, both keys are live in the JWKS; retire and delete test-1; KIDs never reused', async () => {
    const api = await activateExtension();
    const second = (await vscode.commands.executeCommand<KeyRecord>('nhsAuth.rotateKey', profileId))!;
    assert.strictEqual(second.kid, 'test-2');
    assert.deepStrictEqual(
      api.services.keyring
        .jwks(profileId)
        .keys.map((k) => k.kid)
        .sort(),
      ['test-1', 'test-2'],
    );
    assert.strictEqual((await api.services.keyring.signingKey(profileId)).kid, 'test-2');
    await vscode.commands.executeCommand('nhsAuth.retireKey', { profileId, kid: 'test-1', confirmed: true });
    assert.deepStrictEqual(
      api.services.keyring.jwks(profileId).keys.map((k) => k.kid),
      ['test-2'],
    );
    await vscode.commands.executeCommand('nhsAuth.deleteKey', { profileId, kid: 'test-1', confirmed: true });
    await assert.rejects(api.services.keyring.privateKey(profileId, 'test-1'), /not in SecretStorage/);
    await vscode.commands.executeCommand('nhsAuth.deleteKey', { profileId, kid: 'test-2', confirmed: true });
    const third = (await vscode.commands.executeCommand<KeyRecord>('nhsAuth.generateKey', profileId))!;
    assert.strictEqual(third.kid, 'test-3', 'deleted KIDs are not handed out again');
  });

  test('remove the profile: its secrets are gone', async () => {
    const api = await activateExtension();
    const secretKeysOf = [
      `nhsAuth/profile/${profileId}/apiKey`,
      `nhsAuth/profile/${profileId}/clientSecret`,
      `nhsAuth/profile/${profileId}/privateKey/test-3`,
    ] as const;
    for (const k of secretKeysOf) assert.ok(await api.services.secrets.get(k), `${k} exists before removal`);
    assert.strictEqual(
      await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId, confirmed: true }),
      true,
    );
    for (const k of secretKeysOf)
      assert.strictEqual(await api.services.secrets.get(k), undefined, `${k} removed`);
    assert.ok(!api.services.profiles.find(profileId));
  });
});
