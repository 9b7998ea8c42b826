import { ErrorCatalogue, type ErrorEnvelope, type ErrorName, REQUEST_ID_HEADER } from '@tandem/contract';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';

/** Fastify's own request errors, by code, to the catalogue entry that says the same. */
const FASTIFY_CODES: Record<string, ErrorName> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_NOT_FOUND: 'ROUTE_NOT_FOUND',
};

/** Any other client error, by status; what is left over is a plain invalid request. */
const BY_STATUS: Record<number, ErrorName> = {
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * The one place an error becomes an answer: every failure leaves as an `ErrorEnvelope`
 * with the catalogue's status. Client mistakes are 4xx and say what was wrong; anything
 * unexpected is a 500 whose text stays in the log, next to the request id.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => replyWithError(error, request, reply));
    app.setNotFoundHandler((request, reply) =>
      sendError(
        request,
        reply,
        new AppError('ROUTE_NOT_FOUND', { message: `No endpoint ${request.method} ${request.url.split('?')[0]}.` }),
      ),
    );
  },
  { name: 'error-handler' },
);

/**
 * Logs and answers one error. Also Fastify's `frameworkErrors` handler (app.ts): a URL
 * the router cannot decode fails before any route, hook or error handler runs.
 */
export function replyWithError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error);
  // A shed request is the API working as meant: an error line for each would add to the load it sheds.
  if (appError.statusCode >= 500 && appError.error !== 'OVERLOADED') {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ error: appError.error, status: appError.statusCode }, appError.message);
  }
  return sendError(request, reply, appError);
}

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  const byCode = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (byCode) return new AppError(byCode, { message: clientMessage(byCode, error) });
  // A body parser that threw a SyntaxError of its own (a custom parser, a future one).
  if (error instanceof SyntaxError)
    return new AppError('MALFORMED_JSON', { message: clientMessage('MALFORMED_JSON', error) });
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const name = BY_STATUS[status] ?? 'VALIDATION_FAILED';
    return new AppError(name, { message: error.message || ErrorCatalogue[name].message });
  }
  if (status === 503 || status === 504) return new AppError(BY_STATUS[status] as ErrorName);
  return new AppError('INTERNAL', { cause: error });
}

/** The catalogue text, plus Fastify's wording when it adds something (the limit, the type). */
function clientMessage(name: ErrorName, error: Error): string {
  const base = ErrorCatalogue[name].message;
  return error.message && error.message !== base ? `${base} ${error.message}` : base;
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const entry = ErrorCatalogue[error.error];
  const envelope: ErrorEnvelope = {
    code: entry.code,
    message: error.message,
    data: {
      error: error.error,
      requestId: request.id,
      ...(error.issues ? { issues: error.issues } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    },
    timestamp: new Date(),
  };
  // Fastify asks to close the connection after a body error; HTTP/2 has no such header
  // (Node would warn and drop it), and the stream ends on its own.
  if (request.raw.httpVersionMajor === 2) reply.removeHeader('connection');
  if (error.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  return reply.code(entry.status).header(REQUEST_ID_HEADER, request.id).send(envelope);
}
