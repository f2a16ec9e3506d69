import * as assert from 'node:assert';
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KeyRecord } from '../../src/core/profiles/profile.ts';
import type { LintFinding } from '../../src/core/assertion/lintAssertion.ts';
import type { JwksCheckReport } from '../../src/core/preflight/checkJwksUrl.ts';
import type { PreflightFinding } from '../../src/core/preflight/findings.ts';
import type { TreeNode } from '../../src/vscode/tree/treeNodes.ts';
import { activateExtension } from './extensionApi.ts';

// Async: a 4096-bit key made synchronously would stall the extension host.
const makeKey = promisify(generateKeyPair);
const SHARED_API_KEY = 'Pairingkey0123456789abcdefghijkl';
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

async function profileNode(profileId: string): Promise<TreeNode> {
  const api = await activateExtension();
  const node = (await api.tree.getChildren()).find((n) => n.kind === 'profile' && n.profile.id === profileId);
  assert.ok(node, 'the profile is in the tree');
  return node;
}

async function pairingRules(profileId: string): Promise<string[]> {
  const api = await activateExtension();
  const children = await api.tree.getChildren(await profileNode(profileId));
  return children
    .filter((c) => c.kind === 'pairing')
    .map((c) => (c.kind === 'pairing' ? c.finding.rule : ''))
    .sort();
}

suite('pre-flight: environment pairing, JWKS URL, ID token', () => {
  let intId: string;
  let prodId: string;
  let keyFile: vscode.Uri;

  suiteSetup(async () => {
    await activateExtension();
    const dir = await mkdtemp(join(tmpdir(), 'nhs-pairing-'));
    const pem = (await makeKey('rsa', { modulusLength: 4096 })).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    await writeFile(join(dir, 'shared.pem'), pem, { mode: 0o600 });
    keyFile = vscode.Uri.file(join(dir, 'shared.pem'));
  });

  test('one key and one API key in an Integration and a production profile: warnings in the tree', async () => {
    intId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'int-mock',
      name: 'Pairing int',
      apiKey: SHARED_API_KEY,
      clientSecret: '',
      callbackUrl: '',
    }))!;
    // A custom profile pointed at the production token URL: its KIDs are test-N, its URL is production.
    prodId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'custom',
      name: 'Pairing prod',
      customTokenUrl: 'https://api.service.nhs.uk/oauth2/token',
      apiKey: SHARED_API_KEY,
      clientSecret: '',
      callbackUrl: '',
    }))!;
    const a = (await vscode.commands.executeCommand<KeyRecord>('nhsAuth.importKey', {
      profileId: intId,
      uri: keyFile,
      throwErrors: true,
    }))!;
    const b = (await vscode.commands.executeCommand<KeyRecord>('nhsAuth.importKey', {
      profileId: prodId,
      uri: keyFile,
      throwErrors: true,
    }))!;
    assert.deepStrictEqual([a.kid, b.kid], ['test-1', 'test-1']);
    assert.strictEqual(a.thumbprint, b.thumbprint);

    assert.deepStrictEqual(await pairingRules(prodId), [
      'api-key-environment',
      'key-shared-across-environments',
      'kid-environment',
    ]);
    assert.deepStrictEqual(await pairingRules(intId), [
      'api-key-environment',
      'key-shared-across-environments',
    ]);
    const prod = await profileNode(prodId);
    assert.match(String(prod.description), /3 warnings/);
    const api = await activateExtension();
    const warning = (await api.tree.getChildren(prod)).find(
      (c) => c.kind === 'pairing' && c.finding.rule === 'kid-environment',
    );
    assert.ok(warning && warning.kind === 'pairing');
    assert.match(
      String(warning.label),
      /targets Production but its key 'test-1' is named for a test environment/,
    );
    assert.match((warning.tooltip as vscode.MarkdownString).value, /no matching public key/);
    const rendered = JSON.stringify((await api.tree.getChildren(prod)).map((c) => api.tree.getTreeItem(c)));
    assert.ok(!rendered.includes(SHARED_API_KEY), 'the API key itself never reaches the tree');
  });

  test('lint on that profile carries the pairing warnings', async () => {
    const jwt = (await vscode.commands.executeCommand<string>('nhsAuth.signAssertion', {
      profileId: prodId,
      silent: true,
      throwErrors: true,
    }))!;
    const findings = (await vscode.commands.executeCommand<LintFinding[]>('nhsAuth.lintAssertion', {
      profileId: prodId,
      jwt,
      silent: true,
      throwErrors: true,
    }))!;
    const rules = findings.map((f) => f.rule);
    for (const r of ['kid-environment', 'key-shared-across-environments', 'api-key-environment'])
      assert.ok(rules.includes(r), `lint has ${r}: ${rules.join(', ')}`);
    const pairing = findings.filter((f) =>
      ['kid-environment', 'key-shared-across-environments', 'api-key-environment'].includes(f.rule),
    );
    assert.ok(
      pairing.every((f) => f.severity === 'warning'),
      'pairing findings are warnings',
    );
    // Signing recorded the jti as used, so only the reuse check may fail.
    assert.deepStrictEqual(
      findings
        .filter((f) => f.severity === 'error' && !/jti/.test(f.rule))
        .map((f) => `${f.rule}: ${f.message}`),
      [],
      'the assertion itself is fine',
    );
  });

  test('a new API key for the production profile clears the API key warning on both', async () => {
    await vscode.commands.executeCommand('nhsAuth.editProfile', {
      profileId: prodId,
      apiKey: 'Prodonlykey0123456789abcdefghijk',
      throwErrors: true,
    });
    assert.deepStrictEqual(await pairingRules(prodId), ['key-shared-across-environments', 'kid-environment']);
    assert.deepStrictEqual(await pairingRules(intId), ['key-shared-across-environments']);
  });

  suite('Check JWKS URL on a profile that hosts its own key', () => {
    let server: Server;
    let base: string;
    let served: unknown = { keys: [] };
    const agents: string[] = [];

    suiteSetup(async () => {
      server = createServer((req, res) => {
        agents.push(String(req.headers['user-agent']));
        res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(served));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    suiteTeardown(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });

    test('its own JWKS: accepted, fetched as APIM, the URL kept on the profile', async () => {
      const api = await activateExtension();
      served = api.services.keyring.jwks(intId);
      const report = (await vscode.commands.executeCommand<JwksCheckReport>('nhsAuth.checkJwksUrl', {
        profileId: intId,
        url: `${base}/jwks.json`,
        silent: true,
        throwErrors: true,
      }))!;
      assert.deepStrictEqual(
        report.findings.filter((f) => f.severity === 'error'),
        [],
      );
      assert.strictEqual(agents.at(-1), 'APIM');
      assert.strictEqual(api.services.profiles.get(intId).jwksUrl, `${base}/jwks.json`);
    });

    test('another key under the same KID, a 404 and a URL without a path are refused', async () => {
      served = {
        keys: [
          {
            ...(await makeKey('rsa', { modulusLength: 2048 })).publicKey.export({ format: 'jwk' }),
            kid: 'test-1',
            use: 'sig',
          },
        ],
      };
      const errorsOf = async (url: string): Promise<string[]> =>
        (await vscode.commands.executeCommand<JwksCheckReport>('nhsAuth.checkJwksUrl', {
          profileId: intId,
          url,
          silent: true,
          throwErrors: true,
        }))!.findings
          .filter((f) => f.severity === 'error')
          .map((f) => f.rule);
      assert.deepStrictEqual(await errorsOf(`${base}/jwks.json`), ['jwks-modulus-mismatch']);
      assert.deepStrictEqual(await errorsOf(`${base}/elsewhere.json`), ['jwks-status']);
      assert.deepStrictEqual(await errorsOf(base), ['jwks-url-no-path']);
    });
  });

  test('ID token pre-flight: a Sandpit token on Integration is named; a bad token stops the exchange before it is sent', async () => {
    const sandpit = `${b64({ alg: 'RS512', typ: 'JWT', kid: 'k1' })}.${b64({ iss: 'https://auth.sandpit.signin.nhs.uk', aud: 'c', exp: Math.floor(Date.now() / 1000) + 600, identity_proofing_level: 'P9' })}.sig`;
    const intProfile = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'int',
      name: 'Pairing int real',
      apiKey: 'Intrealkey0123456789abcdefghijkl',
      clientSecret: '',
      callbackUrl: '',
    }))!;
    const findings = (await vscode.commands.executeCommand<PreflightFinding[]>('nhsAuth.checkIdToken', {
      profileId: intProfile,
      idToken: sandpit,
      silent: true,
      throwErrors: true,
    }))!;
    assert.deepStrictEqual(
      findings.map((f) => f.rule),
      ['id-token-issuer-environment'],
    );
    assert.match(findings[0]!.message, /NHS login Sandpit.*NHS login Integration/);

    const local = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'local',
      name: 'Pre-flight local',
    }))!;
    await vscode.commands.executeCommand('nhsAuth.generateKey', local);
    const api = await activateExtension();
    const noAud = `${b64({ alg: 'RS512', typ: 'JWT', kid: 'k1' })}.${b64({ iss: `${await api.services.emulator.url()}/mock-nhs-login`, exp: Math.floor(Date.now() / 1000) + 600 })}.sig`;
    const before = await api.services.tokens.store.load(local);
    await assert.rejects(
      async () =>
        vscode.commands.executeCommand('nhsAuth.exchangeIdToken', {
          profileId: local,
          idToken: noAud,
          throwErrors: true,
        }),
      (e: Error & { code?: string }) =>
        e.code === 'ERR_PREFLIGHT' && /Missing 'aud' claim in subject_token JWT/.test(e.message),
    );
    assert.strictEqual(await api.services.tokens.store.load(local), before, 'no session was made');
    // A mock sign-in passes the pre-flight and is exchanged.
    const s = await vscode.commands.executeCommand<{ identityProvider: string }>('nhsAuth.exchangeIdToken', {
      profileId: local,
      mockUser: { provider: 'cis2', username: '656005750104' },
      throwErrors: true,
    });
    assert.strictEqual(s?.identityProvider, 'cis2');
  });
});
