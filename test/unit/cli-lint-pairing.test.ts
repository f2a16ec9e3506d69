// `nhs-auth lint` also flags a KID named for the other kind of environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { signClientAssertion } from '../../src/core/assertion/signClientAssertion.ts';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/command.ts';

const API_KEY = 'Abcdefghijklmnopqrstuvwxyz012345';
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  format: 'pem',
  type: 'pkcs8',
}) as string;

function capture(): CliIo & { stdout: string[] } {
  const stdout: string[] = [];
  return { stdout, out: (l) => stdout.push(l), err: () => {} };
}

test('a test-1 assertion for production: a kid-environment warning, still exit 0 when nothing else is wrong', async () => {
  const jwt = await signClientAssertion({
    privateKeyPem: pem,
    kid: 'test-1',
    apiKey: API_KEY,
    tokenUrl: 'https://api.service.nhs.uk/oauth2/token',
  });
  const io = capture();
  assert.equal(await main(['lint', jwt, '--env', 'prod', '--api-key', API_KEY], io), 0);
  assert.match(
    io.stdout.join('\n'),
    /warning \[kid-environment\] The assertion targets Production but its kid 'test-1' is named for a test environment/,
  );
  const ok = capture();
  const prodJwt = await signClientAssertion({
    privateKeyPem: pem,
    kid: 'prod-1',
    apiKey: API_KEY,
    tokenUrl: 'https://api.service.nhs.uk/oauth2/token',
  });
  assert.equal(await main(['lint', prodJwt, '--env', 'prod', '--api-key', API_KEY], ok), 0);
  assert.doesNotMatch(ok.stdout.join('\n'), /kid-environment/);
});

test('lint: an assertion and --subject-token together, or --scope without it, are clear errors', async () => {
  const errs: string[] = [];
  const io: CliIo = { out: () => {}, err: (l) => errs.push(l) };
  assert.equal(await main(['lint', 'a.b.c', '--subject-token', 'a.b.c', '--env', 'int'], io), 1);
  assert.equal(
    await main(['lint', 'a.b.c', '--env', 'int', '--scope', 'urn:nhsd:apim:user-nhs-login:P9:x'], io),
    1,
  );
  assert.match(
    errs[0] ?? '',
    /ERR_ARGUMENT: Give either a client assertion to lint or --subject-token, not both/,
  );
  assert.match(errs[1] ?? '', /--scope and --level go with --subject-token/);
});
