import type { ErrorName, ValidationIssue } from '@tandem/contract';

/**
 * Failures that never reached a contract answer: no connection (`NETWORK`), no answer in
 * time (`TIMEOUT`), an answer the contract does not describe (`BAD_RESPONSE`), or a call
 * the app itself abandoned (`CANCELLED`, e.g. a query whose component went away).
 */
export type ClientErrorName = 'NETWORK' | 'TIMEOUT' | 'BAD_RESPONSE' | 'CANCELLED';
export type ApiErrorName = ErrorName | ClientErrorName;

export interface ApiErrorInit {
  name: ApiErrorName;
  message: string;
  /** HTTP status; 0 when no HTTP answer arrived. */
  status: number;
  /** The envelope's business code (e.g. 40001); 0 when there was no error envelope. */
  code: number;
  issues?: readonly ValidationIssue[] | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** The one error type of the web app: every failed API call ends up as one of these. */
export class ApiError extends Error {
  override readonly name: ApiErrorName;
  readonly status: number;
  readonly code: number;
  readonly issues: readonly ValidationIssue[];
  /** The X-Request-ID of the call, to find the server's log line. */
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, { cause: init.cause });
    this.name = init.name;
    this.status = init.status;
    this.code = init.code;
    this.issues = init.issues ?? [];
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}
