import tls from 'node:tls';
import { ErrorEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../test/api-server.js';

let api: StartedApi;

beforeAll(async () => {
  api = await startApi({ h1: true });
});

afterAll(async () => {
  await api?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `bytes` on a fresh TLS connection (ALPN http/1.1) and reads until the server closes it. */
function sendRaw(origin: string, bytes: Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: hostname,
      port: Number(port),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const chunks: Buffer[] = [];
    socket.on('secureConnect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

const ascii = (text: string) => Buffer.from(text, 'latin1');

const REFUSED: [string, Buffer, number, string][] = [
  [
    'a bare LF inside a header value',
    ascii('GET /healthz HTTP/1.1\r\nHost: a\r\nX-Note: one\ntwo\r\n\r\n'),
    400,
    'MALFORMED_REQUEST',
  ],
  [
    'a bare CR inside a header value',
    ascii('GET /healthz HTTP/1.1\r\nHost: a\r\nX-Note: one\rtwo\r\n\r\n'),
    400,
    'MALFORMED_REQUEST',
  ],
  [
    '0xFF bytes in the request line',
    Buffer.concat([ascii('GET /healthz'), Buffer.from([0xff, 0xff]), ascii(' HTTP/1.1\r\nHost: a\r\n\r\n')]),
    400,
    'MALFORMED_REQUEST',
  ],
  [
    'Content-Length together with Transfer-Encoding',
    ascii(
      'POST /api/v1/orders HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ),
    400,
    'MALFORMED_REQUEST',
  ],
  [
    'a 64 KB URL',
    ascii(`GET /api/v1/orders?cursor=${'a'.repeat(64 * 1024)} HTTP/1.1\r\nHost: a\r\n\r\n`),
    431,
    'HEADERS_TOO_LARGE',
  ],
];

describe.each([
  ['the main listener (HTTP/2 port, HTTP/1.1 by ALPN)', () => api.origin],
  ['the HTTP/1.1-only listener', () => api.h1Origin ?? ''],
])('requests the HTTP/1.1 parser refuses, on %s', (_listener, origin) => {
  it.each(REFUSED)('answers %s with the envelope', async (_case, bytes, status, error) => {
    const answer = await sendRaw(origin(), bytes);
    expect(answer.status, answer.body).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const envelope = ErrorEnvelope.parse(JSON.parse(answer.body));
    expect(envelope.data.error).toBe(error);
    expect(Math.floor(envelope.code / 100)).toBe(status);
    expect(envelope.data.requestId).toBe(answer.headers['x-request-id']);
  });
});
