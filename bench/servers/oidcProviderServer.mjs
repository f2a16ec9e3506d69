// panva's oidc-provider (an OpenID Certified provider) in a process of its own, configured as the
// platform is for this grant: client_credentials, private_key_jwt client authentication with RS512,
// one client whose public key the bench passes in. Its default in-memory adapter keeps the jti
// replay cache. Run by bench/throughput.bench.mjs.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { reportReady } from './childProtocol.mjs';

const jwk = JSON.parse(process.env.BENCH_PUBLIC_JWK);
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.BENCH_CLIENT_ID,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS512',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      jwks: { keys: [jwk] },
    },
  ],
  clientAuthMethods: ['private_key_jwt'],
  enabledJWA: { clientAuthSigningAlgValues: ['RS512'] },
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
});
// The development-only warnings (in-memory adapter, generated keys) say nothing about speed.
provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
server.on('request', provider.callback());
reportReady({ origin: issuer, tokenPath: '/token' });
