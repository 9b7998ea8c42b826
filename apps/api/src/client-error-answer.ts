import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCatalogue, type ErrorEnvelope, type ErrorName, REQUEST_ID_HEADER } from '@tandem/contract';
import type { FastifyBaseLogger } from 'fastify';

/** Node's HTTP/1.1 parser errors, by code, to the catalogue entry that says the same. */
const BY_PARSER_CODE: Record<string, ErrorName> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  // A request line (a 64 KB URL) or headers past the parser's limit (16 KB by default).
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
};

/**
 * The answer to a request Node's HTTP/1.1 parser refused (a bare CR or LF in a header,
 * bytes that are not HTTP, Content-Length with Transfer-Encoding, an oversized URL): no
 * route, hook or error handler ever sees it, so it gets the envelope here, written on the
 * socket, which is then closed. Node (and Fastify's default handler) would answer a body
 * of their own (`{"error":"Bad Request",…}`) or none. The id in `data.requestId` is the one
 * logged, as for any other request.
 *
 * Used for the main listener (Fastify's `clientErrorHandler`, app.ts) and for the
 * HTTP/1.1-only listener's `clientError` event (plugins/app/h1-listener.ts).
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, log: FastifyBaseLogger): void {
  // The client went away (or the socket is already gone): nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const name = (error.code && BY_PARSER_CODE[error.code]) || 'MALFORMED_REQUEST';
  const entry = ErrorCatalogue[name];
  const requestId = randomUUID();
  log.info({ requestId, error: name, status: entry.status, parserError: error.code }, entry.message);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const envelope: ErrorEnvelope = {
    code: entry.code,
    message: entry.message,
    data: { error: name, requestId },
    timestamp: new Date(),
  };
  const body = JSON.stringify(envelope);
  socket.end(
    `HTTP/1.1 ${entry.status} ${STATUS_CODES[entry.status]}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
  // What follows the refused bytes is not read: close once the answer is out.
  socket.once('finish', () => socket.destroy());
}
