// The bare broadcast baseline of `npm run bench:event`: a plain `ws` server that, on
// GET /broadcast, pushes one small message to every connected socket and nothing else (no sessions,
// no snapshot building). The message carries the absolute time the broadcast started, so a client
// measures delivery delay as arrival − that time (all processes share the machine's clock).
// Usage: tsx bench/event-bare-ws.ts — prints {"port":N} once listening on 127.0.0.1.
import { createServer } from 'node:http';
import { loadWs } from './event-ws.ts';

const { WebSocketServer } = loadWs();
const http = createServer((req, res) => {
  if (req.url?.startsWith('/broadcast')) {
    const round = Number(new URL(req.url, 'http://x').searchParams.get('round') ?? 0);
    res.end(JSON.stringify({ clients: wss.clients.size }));
    // After the reply, as a hub would after the commit that triggered it.
    setImmediate(() => {
      const message = JSON.stringify({ type: 'bare', round, t: performance.timeOrigin + performance.now() });
      for (const socket of wss.clients) socket.send(message);
    });
    return;
  }
  res.statusCode = req.url === '/api/health' ? 200 : 404;
  res.end('{}');
});
const wss = new WebSocketServer({ server: http, path: '/live' });

const stop = (): void => {
  for (const socket of wss.clients) socket.terminate();
  wss.close();
  http.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin: when it goes away, so do we.
process.stdin.on('end', stop).resume();

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
