import type { HttpMethod } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { ApiError, type ApiErrorName } from './api-error';
import {
  ALIGNED_RETRY,
  alignedRetryPolicy,
  defaultRetryPolicy,
  RetryBudget,
  type RetryDecision,
  type RetryFailure,
  retryPolicyInUse,
  setRetryPolicy,
} from './retry-policy';
import { type Attempt, type RetryClock, runWithRetries } from './run-with-retries';

/** mulberry32: a seeded random source, so every run sees the same "random" delays. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Time that moves only when the code under test sleeps. */
function fakeClock(): RetryClock & { sleeps: number[] } {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(new ApiError({ name: 'CANCELLED', status: 0, code: 0, message: '' }));
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const failure = (name: ApiErrorName, status: number, retryAfterMs?: number) =>
  new ApiError({ name, status, code: 0, message: name, retryAfterMs });

function decide(error: ApiError, overrides: Partial<RetryFailure> = {}, random = seededRandom(1)): RetryDecision {
  return alignedRetryPolicy.decide(
    { error, attempt: 1, method: 'GET', hasIdempotencyKey: false, remainingMs: 8_000, ...overrides },
    random,
  );
}

describe('alignedRetryPolicy', () => {
  it('never retries a 4xx other than 429 and 503, an answer that breaks the contract, or a cancelled call', () => {
    for (const [name, status] of [
      ['VALIDATION_FAILED', 400],
      ['UNAUTHORIZED', 401],
      ['ORDER_NOT_FOUND', 404],
      ['INVALID_STATUS_TRANSITION', 409],
      ['IDEMPOTENCY_KEY_REUSED', 422],
      ['BAD_RESPONSE', 200],
      ['CANCELLED', 0],
    ] as const) {
      expect(decide(failure(name, status)), name).toEqual({ retry: false, reason: 'not-retryable' });
    }
  });

  it('does not retry a 504 DEADLINE_EXCEEDED: the server spent the whole deadline already', () => {
    expect(decide(failure('DEADLINE_EXCEEDED', 504))).toEqual({ retry: false, reason: 'not-retryable' });
  });

  it('waits at least what a 429 or 503 asks for, jittered upward only, within the spread', () => {
    const random = seededRandom(42);
    const delays = new Set<number>();
    for (let i = 0; i < 200; i++) {
      for (const error of [failure('RATE_LIMITED', 429, 1_200), failure('NOT_READY', 503, 1_200)]) {
        const decision = decide(error, {}, random);
        if (!decision.retry) throw new Error(`refused: ${decision.reason}`);
        expect(decision.wait).toBe('retry-after');
        expect(decision.delayMs).toBeGreaterThanOrEqual(1_200);
        expect(decision.delayMs).toBeLessThanOrEqual(1_200 + 1_200 * ALIGNED_RETRY.retryAfterJitterRatio);
        delays.add(decision.delayMs);
      }
    }
    // Jittered: clients told the same delay do not all come back in the same millisecond.
    expect(delays.size).toBeGreaterThan(50);
  });

  it('caps the jittered wait, but never below what the server asked for', () => {
    const nearCap = ALIGNED_RETRY.maxRetryAfterMs - 10;
    const decision = decide(failure('RATE_LIMITED', 429, nearCap), {}, () => 0.999);
    expect(decision).toEqual({ retry: true, delayMs: ALIGNED_RETRY.maxRetryAfterMs, wait: 'retry-after' });
    expect(decide(failure('RATE_LIMITED', 429, ALIGNED_RETRY.maxRetryAfterMs), {}, () => 0.999)).toMatchObject({
      delayMs: ALIGNED_RETRY.maxRetryAfterMs,
    });
  });

  it('refuses to wait longer than the cap, and past the deadline', () => {
    expect(decide(failure('RATE_LIMITED', 429, ALIGNED_RETRY.maxRetryAfterMs + 1))).toEqual({
      retry: false,
      reason: 'retry-after-too-long',
    });
    expect(decide(failure('RATE_LIMITED', 429, 2_000), { remainingMs: 2_100 })).toEqual({
      retry: false,
      reason: 'past-deadline',
    });
    // A timeout spent the deadline: nothing is left to retry in.
    expect(decide(failure('TIMEOUT', 0), { remainingMs: 0 })).toEqual({ retry: false, reason: 'past-deadline' });
  });

  it('backs off exponentially with full jitter on no answer and on a 5xx (and a 429 that names no delay)', () => {
    const random = seededRandom(7);
    for (const error of [
      failure('NETWORK', 0),
      failure('TIMEOUT', 0),
      failure('INTERNAL', 500),
      failure('BAD_RESPONSE', 502),
      failure('RATE_LIMITED', 429),
    ]) {
      for (const attempt of [1, 2]) {
        const window = ALIGNED_RETRY.baseDelayMs * 2 ** (attempt - 1);
        const delays = Array.from({ length: 100 }, () => {
          const decision = decide(error, { attempt }, random);
          if (!decision.retry) throw new Error(`${error.name}: refused (${decision.reason})`);
          expect(decision.wait).toBe('backoff');
          return decision.delayMs;
        });
        expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...delays)).toBeLessThan(window);
        // Full jitter spreads over the whole window, not around its end.
        expect(Math.min(...delays)).toBeLessThan(window / 4);
        expect(Math.max(...delays)).toBeGreaterThan((window * 3) / 4);
      }
    }
  });

  it('gives up after its last attempt', () => {
    expect(decide(failure('NETWORK', 0), { attempt: ALIGNED_RETRY.maxAttempts - 1 }).retry).toBe(true);
    expect(decide(failure('NETWORK', 0), { attempt: ALIGNED_RETRY.maxAttempts })).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
  });

  it('retries a write only when it carries an Idempotency-Key', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as HttpMethod[]) {
      expect(decide(failure('NETWORK', 0), { method }), method).toEqual({ retry: false, reason: 'write-without-key' });
      expect(decide(failure('RATE_LIMITED', 429, 500), { method }).retry).toBe(false);
      expect(decide(failure('NETWORK', 0), { method, hasIdempotencyKey: true }).retry, method).toBe(true);
      expect(decide(failure('RATE_LIMITED', 429, 500), { method, hasIdempotencyKey: true }).retry).toBe(true);
    }
  });
});

describe('defaultRetryPolicy (what vue-query does out of the box)', () => {
  const decideDefault = (error: ApiError, attempt = 1, method: HttpMethod = 'GET') =>
    defaultRetryPolicy.decide({ error, attempt, method, hasIdempotencyKey: false, remainingMs: 0 }, () => 0.5);

  it('retries every failure of a query 3 times after 1 s, 2 s, 4 s, ignoring Retry-After', () => {
    expect(decideDefault(failure('RATE_LIMITED', 429, 3_000))).toEqual({
      retry: true,
      delayMs: 1_000,
      wait: 'backoff',
    });
    expect(decideDefault(failure('ORDER_NOT_FOUND', 404), 2)).toEqual({ retry: true, delayMs: 2_000, wait: 'backoff' });
    expect(decideDefault(failure('NETWORK', 0), 3)).toEqual({ retry: true, delayMs: 4_000, wait: 'backoff' });
    expect(decideDefault(failure('NETWORK', 0), 4)).toEqual({ retry: false, reason: 'attempts-exhausted' });
    expect(decideDefault(failure('NETWORK', 0), 1, 'POST').retry).toBe(false);
  });
});

describe('the policy in use', () => {
  it('is the aligned one, and can be swapped at run time', () => {
    expect(retryPolicyInUse()).toBe(alignedRetryPolicy);
    setRetryPolicy(defaultRetryPolicy);
    try {
      expect(retryPolicyInUse()).toBe(defaultRetryPolicy);
    } finally {
      setRetryPolicy(alignedRetryPolicy);
    }
  });
});

describe('RetryBudget', () => {
  it('spends a token per retry and gets a tenth back per success, up to its capacity', () => {
    const budget = new RetryBudget(2, 0.5);
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(false);
    budget.recordSuccess();
    expect(budget.trySpend()).toBe(false);
    budget.recordSuccess();
    expect(budget.trySpend()).toBe(true);
    for (let i = 0; i < 10; i++) budget.recordSuccess();
    expect(budget.tokens).toBe(2);
  });
});

/** A server script: the answers of successive attempts; each attempt is recorded with the fake time it was sent at. */
function scripted(clock: RetryClock, answers: (ApiError | 'ok')[]) {
  const sent: (Attempt & { at: number })[] = [];
  const attempt = async (current: Attempt) => {
    sent.push({ ...current, at: clock.now() });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
    if (answer === 'ok') return 'ok';
    throw answer;
  };
  return { sent, attempt };
}

describe('runWithRetries', () => {
  const base = { method: 'GET', hasIdempotencyKey: false, deadlineMs: 8_000 } as const;

  it('sends no request before the Retry-After the server gave', async () => {
    const clock = fakeClock();
    const server = scripted(clock, [failure('RATE_LIMITED', 429, 1_500), failure('RATE_LIMITED', 429, 700), 'ok']);
    const result = await runWithRetries(server.attempt, {
      ...base,
      policy: alignedRetryPolicy,
      budget: new RetryBudget(),
      clock,
      random: seededRandom(3),
    });

    expect(result).toBe('ok');
    const [first, second, third] = server.sent;
    expect(server.sent.map((attempt) => attempt.number)).toEqual([1, 2, 3]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_500);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(700);
  });

  it('gives every attempt what is left of one deadline as its timeout', async () => {
    const clock = fakeClock();
    const server = scripted(clock, [failure('RATE_LIMITED', 429, 1_000), failure('INTERNAL', 500), 'ok']);
    await runWithRetries(server.attempt, {
      ...base,
      policy: alignedRetryPolicy,
      budget: new RetryBudget(),
      clock,
      random: seededRandom(5),
    });
    const [first, second, third] = server.sent;
    expect(first?.timeoutMs).toBe(8_000);
    expect(second?.timeoutMs).toBe(8_000 - (clock.sleeps[0] ?? 0));
    expect(third?.timeoutMs).toBe(8_000 - (clock.sleeps[0] ?? 0) - (clock.sleeps[1] ?? 0));
  });

  it("with the default policy, gives each attempt a fresh deadline and ignores the server's delay", async () => {
    const clock = fakeClock();
    const server = scripted(clock, [failure('RATE_LIMITED', 429, 3_000)]);
    const error = await runWithRetries(server.attempt, {
      ...base,
      policy: defaultRetryPolicy,
      budget: new RetryBudget(0),
      clock,
    }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'RATE_LIMITED' });
    expect(server.sent.map((attempt) => attempt.timeoutMs)).toEqual([8_000, 8_000, 8_000, 8_000]);
    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000]);
  });

  it('sends no deadline when the call has none', async () => {
    const clock = fakeClock();
    const server = scripted(clock, ['ok']);
    await runWithRetries(server.attempt, {
      ...base,
      deadlineMs: 0,
      policy: alignedRetryPolicy,
      budget: new RetryBudget(),
      clock,
    });
    expect(server.sent[0]?.timeoutMs).toBeUndefined();
  });

  it('throws the last error when the policy stops, and does not retry a write without a key', async () => {
    const clock = fakeClock();
    const down = scripted(clock, [failure('NETWORK', 0)]);
    const options = { ...base, policy: alignedRetryPolicy, budget: new RetryBudget(), clock, random: seededRandom(9) };
    await expect(runWithRetries(down.attempt, options)).rejects.toMatchObject({ name: 'NETWORK' });
    expect(down.sent).toHaveLength(ALIGNED_RETRY.maxAttempts);

    const write = scripted(clock, [failure('NETWORK', 0)]);
    await expect(runWithRetries(write.attempt, { ...options, method: 'POST' })).rejects.toMatchObject({
      name: 'NETWORK',
    });
    expect(write.sent).toHaveLength(1);

    const keyed = scripted(clock, [failure('NETWORK', 0), 'ok']);
    await runWithRetries(keyed.attempt, { ...options, method: 'POST', hasIdempotencyKey: true });
    expect(keyed.sent).toHaveLength(2);
  });

  it('stops retrying when the budget is spent, and successes refill it', async () => {
    const clock = fakeClock();
    const budget = new RetryBudget(4, 0.5);
    const decisions: RetryDecision[] = [];
    const options = {
      ...base,
      policy: alignedRetryPolicy,
      budget,
      clock,
      random: seededRandom(11),
      onDecision: (decision: RetryDecision) => decisions.push(decision),
    };
    // A sick API: every call fails. 4 tokens pay for 4 retries, then calls fail at once.
    let sent = 0;
    for (let call = 0; call < 6; call++) {
      const server = scripted(clock, [failure('INTERNAL', 500)]);
      await runWithRetries(server.attempt, options).catch(() => undefined);
      sent += server.sent.length;
    }
    expect(sent).toBe(6 + 4);
    expect(decisions.filter((decision) => !decision.retry && decision.reason === 'budget-exhausted')).toHaveLength(4);

    // Two successes put one token back: one more retry is allowed.
    for (let call = 0; call < 2; call++) await runWithRetries(scripted(clock, ['ok']).attempt, options);
    const recovering = scripted(clock, [failure('INTERNAL', 500), 'ok']);
    await expect(runWithRetries(recovering.attempt, options)).resolves.toBe('ok');
    const next = scripted(clock, [failure('INTERNAL', 500), 'ok']);
    await expect(runWithRetries(next.attempt, options)).rejects.toMatchObject({ name: 'INTERNAL' });
  });

  it('stops waiting, and sends nothing more, when the caller cancels', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const server = scripted(clock, [failure('NETWORK', 0)]);
    const attempt = async (current: Attempt) => {
      controller.abort();
      return server.attempt(current);
    };
    await expect(
      runWithRetries(attempt, {
        ...base,
        policy: alignedRetryPolicy,
        budget: new RetryBudget(),
        clock,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'CANCELLED' });
    expect(server.sent).toHaveLength(1);
  });
});
