/**
 * Every error the API can answer with, in one place. `code` goes in the envelope:
 * a business code whose first three digits are the HTTP status, so a client can
 * branch on the status alone or on the exact cause. `name` is stable for logs and
 * tests; `message` is the default text a person reads.
 */
export const ErrorCatalogue = {
  VALIDATION_FAILED: { code: 40001, status: 400, message: 'The request is invalid.' },
  MALFORMED_JSON: { code: 40002, status: 400, message: 'The request body is not valid JSON.' },
  EMPTY_BODY: { code: 40003, status: 400, message: 'The request body is empty.' },
  MALFORMED_REQUEST: {
    code: 40004,
    status: 400,
    message: 'The request is not valid HTTP (refused before any route: a bad header or framing).',
  },
  UNAUTHORIZED: { code: 40101, status: 401, message: 'Send Authorization: Bearer <ADMIN_TOKEN>.' },
  UNAUTHENTICATED: { code: 40102, status: 401, message: 'Sign in first: this endpoint needs a session.' },
  // One answer for an unknown e-mail and a wrong password: which one it was is not told.
  INVALID_CREDENTIALS: { code: 40103, status: 401, message: 'The e-mail or the password is wrong.' },
  ADMIN_DISABLED: {
    code: 40301,
    status: 403,
    message: 'Administration is off: set ADMIN_TOKEN to turn it on.',
  },
  ORIGIN_NOT_ALLOWED: { code: 40302, status: 403, message: 'This origin may not call this endpoint.' },
  FORBIDDEN: { code: 40303, status: 403, message: 'Your account may not do this.' },
  ROUTE_NOT_FOUND: { code: 40401, status: 404, message: 'No such endpoint.' },
  ORDER_NOT_FOUND: { code: 40402, status: 404, message: 'No order has this id.' },
  METHOD_NOT_ALLOWED: { code: 40501, status: 405, message: 'This method is not allowed here.' },
  REQUEST_TIMEOUT: { code: 40801, status: 408, message: 'The request did not arrive in time.' },
  INVALID_STATUS_TRANSITION: { code: 40901, status: 409, message: 'The order cannot move to that status.' },
  EMAIL_TAKEN: { code: 40903, status: 409, message: 'An account with this e-mail already exists; sign in instead.' },
  HEAP_SNAPSHOT_IN_PROGRESS: {
    code: 40902,
    status: 409,
    message: 'A heap snapshot is being written; ask again when it is done.',
  },
  PAYLOAD_TOO_LARGE: { code: 41301, status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { code: 41501, status: 415, message: 'Send the body as application/json.' },
  IDEMPOTENCY_KEY_REUSED: {
    code: 42201,
    status: 422,
    message: 'This Idempotency-Key was already used with a different request body.',
  },
  RATE_LIMITED: { code: 42901, status: 429, message: 'Too many requests; retry after the delay given.' },
  HEADERS_TOO_LARGE: { code: 43101, status: 431, message: 'The request line and headers are too large.' },
  INTERNAL: { code: 50001, status: 500, message: 'Something went wrong on our side.' },
  V2_INJECTED_FAULT: { code: 50002, status: 500, message: 'v2 failed (fault injected by the versioning lab).' },
  NOT_READY: { code: 50301, status: 503, message: 'The service is not ready.' },
  OVERLOADED: { code: 50302, status: 503, message: 'The API is shedding load; retry after the delay given.' },
  DEADLINE_EXCEEDED: { code: 50401, status: 504, message: 'The request ran past its deadline.' },
} as const satisfies Record<string, { code: number; status: number; message: string }>;

export type ErrorName = keyof typeof ErrorCatalogue;
export const ERROR_NAMES = Object.keys(ErrorCatalogue) as [ErrorName, ...ErrorName[]];

const byCode = new Map<number, ErrorName>(ERROR_NAMES.map((name) => [ErrorCatalogue[name].code, name] as const));

/** The catalogue entry for an envelope `code`, or undefined for a code we never send. */
export function errorNameOfCode(code: number): ErrorName | undefined {
  return byCode.get(code);
}
