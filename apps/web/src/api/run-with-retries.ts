import type { HttpMethod } from '@tandem/contract';
import { ApiError } from './api-error';
import type { RetryBudget, RetryDecision, RetryPolicy } from './retry-policy';

/** Time as the retry loop reads it; tests pass a fake one. */
export interface RetryClock {
  now(): number;
  /** Resolves after `ms`, or rejects with `CANCELLED` when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: RetryClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled());
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** One attempt of a call. */
export interface Attempt {
  /** 1 for the first attempt, 2 for the first retry, … */
  number: number;
  /** Whole milliseconds left of the deadline as the attempt is sent; undefined: no deadline. */
  timeoutMs: number | undefined;
}

export interface RunWithRetriesOptions {
  policy: RetryPolicy;
  budget: RetryBudget;
  method: HttpMethod;
  hasIdempotencyKey: boolean;
  /** The call's deadline in ms (0: none). */
  deadlineMs: number;
  signal?: AbortSignal | undefined;
  clock?: RetryClock;
  random?: () => number;
  /** Told of each decision about a failed attempt (a measurement or a test counts them). */
  onDecision?: (decision: RetryDecision, error: ApiError, attempt: Attempt) => void;
}

/**
 * Sends `attempt` until it succeeds or the policy (retry-policy.ts) says stop, waiting
 * the delay it chose in between; then the last attempt's error is thrown as it was.
 */
export async function runWithRetries<T>(
  attempt: (attempt: Attempt) => Promise<T>,
  options: RunWithRetriesOptions,
): Promise<T> {
  const { policy, budget, method, hasIdempotencyKey, deadlineMs, signal } = options;
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const callStarted = clock.now();

  for (let number = 1; ; number++) {
    if (signal?.aborted) throw cancelled();
    const deadlineAt =
      deadlineMs > 0
        ? (policy.deadlineSpansRetries ? callStarted : clock.now()) + deadlineMs
        : Number.POSITIVE_INFINITY;
    const current: Attempt = {
      number,
      timeoutMs: Number.isFinite(deadlineAt) ? Math.max(1, Math.round(deadlineAt - clock.now())) : undefined,
    };
    try {
      const result = await attempt(current);
      budget.recordSuccess();
      return result;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const remainingMs = policy.deadlineSpansRetries ? deadlineAt - clock.now() : Number.POSITIVE_INFINITY;
      let decision = policy.decide({ error, attempt: number, method, hasIdempotencyKey, remainingMs }, random);
      if (decision.retry && policy.usesBudget && !budget.trySpend()) {
        decision = { retry: false, reason: 'budget-exhausted' };
      }
      options.onDecision?.(decision, error, current);
      if (!decision.retry) throw error;
      await clock.sleep(decision.delayMs, signal);
    }
  }
}

function cancelled(): ApiError {
  return new ApiError({ name: 'CANCELLED', message: 'The call was cancelled.', status: 0, code: 0 });
}
