// How a bench server process talks to the bench over its IPC channel: it says where it listens
// once, then answers every 'sample' message with its resident memory (and its own state sizes).
export function reportReady({ origin, tokenPath, stats }) {
  process.send({ type: 'ready', origin, tokenPath });
  process.on('message', (m) => {
    if (m?.type !== 'sample') return;
    globalThis.gc?.();
    process.send({
      type: 'sample',
      rss: process.memoryUsage().rss,
      heapUsed: process.memoryUsage().heapUsed,
      stats: stats?.(),
    });
  });
  process.on('disconnect', () => process.exit(0));
}
