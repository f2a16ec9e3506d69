// `nhs-auth assertion`: prints a signed client assertion for the token endpoint.
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { signClientAssertion } from '../../core/assertion/signClientAssertion.ts';
import { importPrivateKeyPem } from '../../core/keys/importKey.ts';
import { ENV_NAMES, parseCommandArgs, readTextFile, resolveTokenUrl } from '../options.ts';

const usage = `Usage: nhs-auth assertion --key PEMFILE --kid KID --api-key KEY (--env NAME | --token-url URL) [--lifetime SECONDS]
  Prints an RS512 client assertion (header alg/typ/kid; iss = sub = API key, aud = token URL, random jti, exp = now + lifetime).
  --api-key may be omitted when NHS_AUTH_API_KEY is set (keeps the key out of shell history).
  --env: ${ENV_NAMES} (local and custom also need --token-url).
  --lifetime: 1-300 seconds, default 300.`;

export const assertionCommand: CliCommand = {
  name: 'assertion',
  summary: 'sign a client assertion (private_key_jwt) for the token endpoint',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, {
      key: { type: 'string' },
      kid: { type: 'string' },
      'api-key': { type: 'string' },
      env: { type: 'string' },
      'token-url': { type: 'string' },
      lifetime: { type: 'string' },
    });
    const apiKey = values['api-key'] ?? process.env.NHS_AUTH_API_KEY;
    if (!values.key || !values.kid || !apiKey) {
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        'assertion needs --key PEMFILE, --kid KID and --api-key KEY (or NHS_AUTH_API_KEY).',
      );
    }
    const tokenUrl = resolveTokenUrl(values.env, values['token-url'], true)!;
    let lifetimeSeconds: number | undefined;
    if (values.lifetime !== undefined) {
      if (!/^\d+$/.test(values.lifetime))
        throw new AuthExplorerError(
          'ERR_ARGUMENT',
          `--lifetime must be a whole number of seconds; got '${values.lifetime}'.`,
        );
      lifetimeSeconds = Number.parseInt(values.lifetime, 10);
    }
    const { privateKeyPem } = importPrivateKeyPem(await readTextFile(values.key, 'key file'));
    io.out(await signClientAssertion({ privateKeyPem, kid: values.kid, apiKey, tokenUrl, lifetimeSeconds }));
    return 0;
  },
};
