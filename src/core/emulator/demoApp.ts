// The demo app registered when no apps are given: a fresh RSA-4096 key and every product.
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { DemoApp } from './types.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export const ALL_HELLO_WORLD_PRODUCTS: readonly string[] = [
  'urn:nhsd:apim:app:level3:hello-world',
  'urn:nhsd:apim:user-nhs-login:P9:hello-world',
  'urn:nhsd:apim:user-nhs-login:P5:hello-world',
  'urn:nhsd:apim:user-nhs-login:P0:hello-world',
  'urn:nhsd:apim:user-nhs-cis2:aal3:hello-world',
  'urn:nhsd:apim:user-nhs-cis2:aal2:hello-world',
  'urn:nhsd:apim:user-nhs-cis2:aal1:hello-world',
];

export async function createDemoApp(): Promise<DemoApp> {
  const kid = 'test-1';
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 4096 });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    app: {
      name: 'Demo app',
      apiKey: randomBytes(16).toString('hex'),
      clientSecret: randomBytes(16).toString('hex'),
      jwks: { keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid, use: 'sig', alg: 'RS512' }] },
      redirectUri: 'http://127.0.0.1:8765/callback',
      products: [...ALL_HELLO_WORLD_PRODUCTS],
      status: 'approved',
    },
  };
}
