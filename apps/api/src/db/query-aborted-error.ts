/**
 * A query stopped because its caller's `AbortSignal` fired (a request deadline, or a
 * client that went away): refused before it started, or cancelled while it ran. Carries
 * `statusCode` 504, so the error handler answers DEADLINE_EXCEEDED if nothing answered
 * the request yet (plugins/app/deadline.ts usually has).
 */
export class QueryAbortedError extends Error {
  override name = 'QueryAbortedError';
  readonly statusCode = 504;
  /** `not_started`: refused before it reached the database; `running`: cancelled in it. */
  readonly stage: QueryCancelStage;

  constructor(queryName: string, stage: QueryCancelStage, cause: unknown) {
    super(
      stage === 'running'
        ? `Query ${queryName} was cancelled: ${reasonText(cause)}`
        : `Query ${queryName} was not started: ${reasonText(cause)}`,
      { cause },
    );
    this.stage = stage;
  }
}

export type QueryCancelStage = 'not_started' | 'running';

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'the signal was aborted';
}
