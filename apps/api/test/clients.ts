// Minimal clients over real TLS: one HTTP/2 session (node:http2) and HTTP/1.1 requests
// (node:https). The dev certificate is self-signed, so verification is off here.
import http2 from 'node:http2';
import https from 'node:https';
import type { ConnectionOptions, TLSSocket } from 'node:tls';

export interface TestRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (content-type added); a string or Buffer is sent as is. */
  body?: unknown;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

function encodeBody(request: TestRequest): { headers: Record<string, string>; payload: Buffer | undefined } {
  const headers = { ...request.headers };
  if (request.body === undefined) return { headers, payload: undefined };
  if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
    return { headers, payload: Buffer.from(request.body) };
  }
  headers['content-type'] ??= 'application/json';
  return { headers, payload: Buffer.from(JSON.stringify(request.body)) };
}

function response(status: number, headers: TestResponse['headers'], text: string): TestResponse {
  return { status, headers, text, json: () => JSON.parse(text) };
}

export class H2Client {
  readonly session: http2.ClientHttp2Session;
  private readonly connected: Promise<void>;

  constructor(origin: string) {
    this.session = http2.connect(origin, { rejectUnauthorized: false });
    this.connected = new Promise((resolve, reject) => {
      this.session.once('connect', () => resolve());
      this.session.once('error', reject);
    });
  }

  /** The protocol TLS negotiated (ALPN), once connected. */
  async alpnProtocol(): Promise<string | false | undefined> {
    await this.connected;
    return this.session.alpnProtocol;
  }

  async request(request: TestRequest): Promise<TestResponse> {
    await this.connected;
    const { headers, payload } = encodeBody(request);
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ':method': request.method ?? 'GET', ':path': request.path, ...headers });
      let status = 0;
      let responseHeaders: TestResponse['headers'] = {};
      const chunks: Buffer[] = [];
      stream.on('response', (incoming) => {
        status = Number(incoming[':status']);
        responseHeaders = incoming as TestResponse['headers'];
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(response(status, responseHeaders, Buffer.concat(chunks).toString('utf8'))));
      // The server may answer (413) and reset the stream before the whole body is sent.
      stream.on('error', (error) =>
        status ? resolve(response(status, responseHeaders, Buffer.concat(chunks).toString('utf8'))) : reject(error),
      );
      stream.end(payload);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}

/** One HTTP/1.1 request on its own connection; resolves with the negotiated ALPN too. */
export function http1Request(
  origin: string,
  request: TestRequest,
): Promise<TestResponse & { alpnProtocol: string | false | null }> {
  const { headers, payload } = encodeBody(request);
  return new Promise((resolve, reject) => {
    const outgoing = https.request(
      `${origin}${request.path}`,
      {
        method: request.method ?? 'GET',
        headers,
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
        agent: false,
      } as https.RequestOptions & ConnectionOptions,
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const alpnProtocol = (incoming.socket as TLSSocket).alpnProtocol;
          resolve({
            ...response(incoming.statusCode ?? 0, incoming.headers, Buffer.concat(chunks).toString('utf8')),
            alpnProtocol,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
