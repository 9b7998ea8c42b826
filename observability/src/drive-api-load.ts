import { connect } from 'node:http2';
import { request } from 'node:https';
import { createLabAdmin, type RunningApi } from '@tandem/local-stack';
import WebSocket from 'ws';

export interface ApiLoadSummary {
  h2: Record<number, number>;
  h1: Record<number, number>;
}

/**
 * A small, bounded load that touches every series the dashboards read: orders list and
 * get-by-id and a 404 over HTTP/2 and HTTP/1.1 (both listeners), an SSE stream and a
 * WebSocket held briefly, a lab flipped and flipped back, a burst of generated events.
 */
export async function driveApiLoad(api: RunningApi, rounds = 60): Promise<ApiLoadSummary> {
  const summary: ApiLoadSummary = { h2: {}, h1: {} };
  const count = (bucket: Record<number, number>, status: number) => {
    bucket[status] = (bucket[status] ?? 0) + 1;
  };

  const session = connect(api.origin, { rejectUnauthorized: false });
  session.on('error', () => {});
  const h2Get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({ ':path': path });
      let status = 0;
      let body = '';
      stream.setEncoding('utf8');
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
      });
      stream.on('data', (chunk: string) => {
        body += chunk;
      });
      stream.on('end', () => resolve({ status, body }));
      stream.on('error', reject);
    });

  const list = await h2Get('/api/v1/orders?limit=5');
  const firstId = (JSON.parse(list.body) as { data: { items: { id: string }[] } }).data.items[0]?.id;
  if (!firstId) throw new Error(`No order to fetch: ${list.status} ${list.body.slice(0, 200)}`);
  const paths = ['/api/v1/orders?limit=20', `/api/v1/orders/${firstId}`, '/api/v1/no-such-route'];

  // SSE over HTTP/2 and a WebSocket over the HTTP/1.1 listener, open while the requests run.
  const sse = session.request({ ':path': '/api/v1/events', accept: 'text/event-stream' });
  sse.on('data', () => {});
  sse.on('error', () => {});
  const socket = new WebSocket(`${api.h1Origin.replace('https:', 'wss:')}/api/v1/ws`, {
    rejectUnauthorized: false,
    origin: api.origin,
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket upgrade answered ${res.statusCode}`)),
    );
  });

  const admin = createLabAdmin(api.origin, api.adminToken);
  await admin.setMode('leaks', 'naive');
  await admin.setGenerator(50);

  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      paths.flatMap((path) => [
        h2Get(path).then(({ status }) => count(summary.h2, status)),
        h1Get(`${api.h1Origin}${path}`).then((status) => count(summary.h1, status)),
        h1Get(`${api.origin}${path}`).then((status) => count(summary.h1, status)),
      ]),
    );
  }

  await admin.setGenerator(0);
  await admin.setMode('leaks', 'tuned');
  socket.close();
  sse.close();
  await new Promise<void>((resolve) => session.close(() => resolve()));
  return summary;
}

/** A GET over HTTP/1.1 (no ALPN h2 offered), resolving with the status; a fresh connection each time. */
function h1Get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
