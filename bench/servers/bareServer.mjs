// The floor of the throughput bench: node:http answering every request with a fixed token body,
// after reading the request body (as a token endpoint must). Run by bench/throughput.bench.mjs.
import { createServer } from 'node:http';
import { reportReady } from './childProtocol.mjs';

const fixed = JSON.stringify({
  access_token: 'x'.repeat(32),
  expires_in: '599',
  token_type: 'Bearer',
  issued_at: String(Date.now()),
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fixed) })
      .end(fixed),
  );
});
server.listen(0, '127.0.0.1', () =>
  reportReady({ origin: `http://127.0.0.1:${server.address().port}`, tokenPath: '/token' }),
);
