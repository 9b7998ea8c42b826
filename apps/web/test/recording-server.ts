import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** One request as it reached the server, its body read in full. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the server answers a request, once the request has been recorded. */
export type RequestAnswer = (request: RecordedRequest, response: ServerResponse) => void;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>`; set in the file's `beforeAll`, so read it there or in a test. */
  readonly origin: string;
  /** The current test's requests in arrival order; the same array throughout, emptied after each test. */
  readonly seen: RecordedRequest[];
}

/**
 * A real HTTP server on a free loopback port for the tests of one file, so code is proven on
 * the wire rather than against mocks: it listens before the file's tests, records every
 * request and hands it to `answer`, and closes (open connections too) after them.
 */
export function useRecordingServer(answer: RequestAnswer): RecordingServer {
  const recording = { origin: '', seen: [] as RecordedRequest[] };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      recording.seen.push(recorded);
      answer(recorded, response);
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    recording.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    recording.seen.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return recording;
}
