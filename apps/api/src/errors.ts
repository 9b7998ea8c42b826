import { ErrorCatalogue, type ErrorName, type ValidationIssue } from '@tandem/contract';

export interface AppErrorOptions {
  /** Overrides the catalogue's default text; keep it free of internals. */
  message?: string;
  issues?: ValidationIssue[];
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The one error type the API throws on purpose. It carries a name from the contract's
 * catalogue; the error handler turns it into the envelope and the catalogue's status.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly error: ErrorName;
  readonly statusCode: number;
  readonly issues: ValidationIssue[] | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(error: ErrorName, options: AppErrorOptions = {}) {
    super(options.message ?? ErrorCatalogue[error].message, { cause: options.cause });
    this.error = error;
    this.statusCode = ErrorCatalogue[error].status;
    this.issues = options.issues;
    this.retryAfterMs = options.retryAfterMs;
  }
}
