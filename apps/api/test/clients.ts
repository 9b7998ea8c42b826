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

  /** `headers` go with every request (a test's headers of the same name win): e.g. the session cookie. */
  constructor(
    origin: string,
    readonly headers: Record<string, string> = {},
  ) {
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
      const stream = this.session.request({
        ':method': request.method ?? 'GET',
        ':path': request.path,
        ...this.headers,
        ...headers,
      });
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
    // A session the server already closed (GOAWAY on shutdown) never calls back.
    if (this.session.closed || this.session.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}

/** One HTTP/1.1 request on its own connection; resolves with the negotiated ALPN too. */
/**
 * A CORS preflight for a cross-origin POST to /api/v1/orders asking for `requestHeaders`
 * (a comma-separated list, as the browser sends it).
 */
export function preflightOrders(client: H2Client, origin: string, requestHeaders: string): Promise<TestResponse> {
  return client.request({
    method: 'OPTIONS',
    path: '/api/v1/orders',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });
}

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

/** One Server-Sent Events message or comment, as the stream sent it. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  /** A comment line (`: hb`), without the colon and space. */
  comment?: string;
}

/**
 * An open event stream: messages as they arrive, and `waitFor` to await one. Reads
 * `GET /api/v1/events` over an HTTP/2 session or its own HTTP/1.1 connection.
 */
export class EventStreamReader {
  readonly messages: SseMessage[] = [];
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  alpnProtocol: string | false | null | undefined;
  ended = false;
  private buffer = '';
  private readonly waiters = new Set<() => void>();
  private readonly opened: Promise<void>;
  private closeStream: () => void = () => {};
  private openedResolve: () => void = () => {};

  constructor() {
    this.opened = new Promise((resolve) => {
      this.openedResolve = resolve;
    });
  }

  /** Over an existing HTTP/2 session (many streams can share it). */
  static overHttp2(client: H2Client, headers: Record<string, string> = {}, path = '/api/v1/events') {
    const reader = new EventStreamReader();
    const stream = client.session.request({ ':method': 'GET', ':path': path, ...client.headers, ...headers });
    stream.setEncoding('utf8');
    stream.on('response', (incoming) => {
      reader.status = Number(incoming[':status']);
      reader.headers = incoming as EventStreamReader['headers'];
      reader.alpnProtocol = client.session.alpnProtocol;
      reader.openedResolve();
    });
    stream.on('data', (chunk: string) => reader.feed(chunk));
    stream.on('close', () => reader.end());
    stream.on('error', () => reader.end());
    stream.end();
    reader.closeStream = () => stream.close(http2.constants.NGHTTP2_CANCEL);
    return reader;
  }

  /** On its own HTTP/1.1 connection (ALPN http/1.1 only). */
  static overHttp1(origin: string, headers: Record<string, string> = {}, path = '/api/v1/events') {
    const reader = new EventStreamReader();
    const outgoing = https.request(`${origin}${path}`, {
      headers,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      agent: false,
    } as https.RequestOptions & ConnectionOptions);
    outgoing.on('response', (incoming) => {
      reader.status = incoming.statusCode ?? 0;
      reader.headers = incoming.headers;
      reader.alpnProtocol = (incoming.socket as TLSSocket).alpnProtocol;
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => reader.feed(chunk));
      incoming.on('close', () => reader.end());
      reader.openedResolve();
    });
    outgoing.on('error', () => reader.end());
    outgoing.end();
    reader.closeStream = () => outgoing.destroy();
    return reader;
  }

  /** Resolves once the response head arrived. */
  async open(): Promise<this> {
    await this.opened;
    return this;
  }

  /** Messages that carry an event (not comments or bare `retry:`). */
  get events(): SseMessage[] {
    return this.messages.filter((message) => message.event !== undefined);
  }

  /** Resolves with the first message matching `predicate` (already received or to come). */
  waitFor(predicate: (message: SseMessage) => boolean, timeoutMs = 5000): Promise<SseMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(predicate);
        if (found) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching SSE message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once `count` events have arrived. */
  async waitForEvents(count: number, timeoutMs = 5000): Promise<SseMessage[]> {
    await this.waitFor(() => this.events.length >= count, timeoutMs);
    return this.events;
  }

  close(): void {
    this.closeStream();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message: SseMessage = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) message.comment = line.slice(1).trimStart();
        else if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('event: ')) message.event = line.slice(7);
        else if (line.startsWith('data: ')) message.data = line.slice(6);
        else if (line.startsWith('retry: ')) message.retry = Number(line.slice(7));
      }
      this.messages.push(message);
      end = this.buffer.indexOf('\n\n');
    }
    for (const waiter of [...this.waiters]) waiter();
  }

  private end(): void {
    this.ended = true;
    this.openedResolve();
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Polls `read` until it returns `expected` (or the time is up); resolves with the last value read. */
export async function eventually<T>(read: () => T | Promise<T>, expected: T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
