import { performance } from 'node:perf_hooks';
import {
  type DeadlineLimits,
  endpoints,
  REQUEST_TIMEOUT_HEADER,
  RequestTimeoutMs,
  toValidationIssues,
} from '@tandem/contract';
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onResponseHookHandler,
  RouteHandlerMethod,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { DeadlineConfig } from '../../config.js';
import type { QueryOptions } from '../../db/database.js';
import { DeadlineTimers, type TimedDeadline } from '../../deadline-timers.js';
import { AppError } from '../../errors.js';
import type { RequestTiming } from '../../request-timing.js';
import { createSetting, type Setting } from '../../setting.js';
import { replyWithError } from './error-handler.js';

/**
 * A request's deadline. Pass it whole to a repository or a query (it is a
 * `QueryOptions`: the signal, and `remainingMs` for the statement timeout), and its
 * `signal` to anything else that can be cancelled, e.g. `fetch(url, { signal:
 * request.deadline.signal })`.
 */
export interface RequestDeadline extends QueryOptions {
  /** Aborts at the deadline (reason: a `TimeoutError` DOMException) or when the client goes away (`AbortError`). */
  readonly signal: AbortSignal;
  /** The deadline this request got: the caller's X-Request-Timeout clamped to the maximum, or the default. */
  readonly timeoutMs: number;
  /** Milliseconds left now (≤ 0 once passed; Infinity on routes without a deadline). */
  readonly remainingMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    deadline: RequestDeadline;
  }
  interface FastifyInstance {
    /** The deadlines this API applies, as `GET /api/v1/limits` publishes them. */
    deadlines: DeadlineLimits;
    /** Whether deadlines are enforced; a change applies to requests that arrive after it. */
    deadlinePolicy: Setting<DeadlinePolicy>;
  }
}

export interface DeadlinePolicy {
  /**
   * On: the deadline becomes the request's AbortSignal, handed to the database, and a
   * 504 when it passes. Off: X-Request-Timeout is still validated (a bad one is a 400),
   * then ignored: `request.deadline` never aborts and the handler answers whenever it is
   * done, even to a client that gave up long ago.
   */
  readonly enforce: boolean;
}

export interface DeadlinePluginOptions {
  deadlines: DeadlineConfig;
  /** At start (default: enforce); `app.deadlinePolicy` changes it at run time. */
  policy?: DeadlinePolicy;
}

/**
 * Long-lived routes have no deadline: the event stream and the socket (the contract's
 * endpoints with `produces`, /metrics included) last minutes by design; the probes and
 * anything outside /api/ are not client calls with a budget. Nor has the heap snapshot:
 * V8 cannot stop one half-way, so a 504 would only hide the file still being written.
 */
const EXEMPT_PATHS: ReadonlySet<string> = new Set(
  Object.values(endpoints)
    .filter((endpoint) => 'produces' in endpoint || endpoint.path === endpoints.takeHeapSnapshot.path)
    .map((endpoint) => endpoint.path),
);
const hasDeadline = (url: string) => url.startsWith('/api/') && !EXEMPT_PATHS.has(url);

/** What the routes without a deadline see: a signal that never aborts, unlimited time. */
const NO_DEADLINE: RequestDeadline = Object.freeze({
  signal: new AbortController().signal,
  timeoutMs: Number.POSITIVE_INFINITY,
  remainingMs: Number.POSITIVE_INFINITY,
});

/** Validates the header the way the contract's other inputs are: a 400 naming `headers.x-request-timeout`. */
const TimeoutHeader = z.object({ [REQUEST_TIMEOUT_HEADER]: RequestTimeoutMs });

/**
 * One request's enforced deadline: what `request.deadline` is, and its place among the
 * deadlines in flight (DeadlineTimers). One object per request, its accessors on the
 * prototype: an object literal with getters is built by the runtime's slow path on every
 * request, and a closure per getter with it.
 */
class EnforcedDeadline implements RequestDeadline, TimedDeadline {
  /**
   * Made the first time someone reads `signal` (a query does; a cache hit never does):
   * most requests finish without anyone listening, and an AbortController per request is
   * measurable on the hot path (docs/performance.md).
   */
  private controller: AbortController | undefined = undefined;
  /** Why the request was aborted, once it was (deadline or client gone), signal made or not. */
  abortReason: unknown = undefined;
  /** The deadline answered (504) before the handler did. */
  expired = false;
  queue: TimedDeadline['queue'] = undefined;
  queuePrev: TimedDeadline | undefined = undefined;
  queueNext: TimedDeadline | undefined = undefined;

  constructor(
    readonly timeoutMs: number,
    readonly expiresAt: number,
    readonly timing: RequestTiming,
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    readonly route: string,
  ) {}

  /** Aborts at the deadline (a `TimeoutError`) or when the client goes away (`AbortError`); made on first read. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  get remainingMs(): number {
    return this.expiresAt - performance.now();
  }

  abort(reason: unknown): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}

const kDeadline = Symbol('enforced deadline');
type WithDeadline = FastifyRequest & { [kDeadline]?: EnforcedDeadline };
const kBound = Symbol('deadline-bound handler');

export default fp<DeadlinePluginOptions>(
  async (app, { deadlines, policy = { enforce: true } }) => {
    const { deadlineExceeded } = app.metrics;
    const setting = createSetting(policy);
    app.decorate('deadlinePolicy', setting);
    app.decorate('deadlines', {
      header: REQUEST_TIMEOUT_HEADER,
      defaultMs: deadlines.defaultMs,
      maxMs: deadlines.maxMs,
    } satisfies DeadlineLimits);

    app.decorateRequest('deadline', {
      getter(this: FastifyRequest) {
        // Without a deadline the queries still add to the request's Server-Timing.
        return (this as WithDeadline)[kDeadline] ?? { ...NO_DEADLINE, timing: this.timing };
      },
    });

    /**
     * The deadline has passed and the request is not answered: cancel what the handler
     * started (the database query), then answer 504 right then, once. Whatever the handler
     * returns or throws later is dropped (deadlineBound); before the handler, Fastify will
     * not call it (the reply is sent).
     */
    const expire = (deadline: EnforcedDeadline) => {
      const { request, reply, route } = deadline;
      if (reply.sent || deadline.expired) return;
      deadline.expired = true;
      deadlineExceeded.inc({ route });
      const error = new AppError('DEADLINE_EXCEEDED', {
        message: `The request ran past its deadline of ${deadline.timeoutMs} ms.`,
      });
      deadline.abort(new DOMException(error.message, 'TimeoutError'));
      replyWithError(error, request, reply);
    };
    const timers = new DeadlineTimers<EnforcedDeadline>(expire);
    app.addHook('onClose', (_app, done) => {
      timers.clear();
      done();
    });

    const start = (route: string): onRequestHookHandler =>
      function startDeadline(request, reply, done) {
        const sent = request.headers[REQUEST_TIMEOUT_HEADER];
        let timeoutMs = deadlines.defaultMs;
        if (sent !== undefined) {
          const parsed = TimeoutHeader.safeParse({ [REQUEST_TIMEOUT_HEADER]: sent });
          if (!parsed.success) {
            const issues = toValidationIssues(parsed.error, 'headers');
            return done(
              new AppError('VALIDATION_FAILED', {
                issues,
                message: `Invalid headers.${REQUEST_TIMEOUT_HEADER}: ${issues[0]?.message ?? 'not whole milliseconds'}`,
              }),
            );
          }
          timeoutMs = Math.min(parsed.data[REQUEST_TIMEOUT_HEADER], deadlines.maxMs);
        }
        // Not enforced: the deadline was read (a bad header is still a 400) and is ignored. No
        // timer, no 504, no signal: request.deadline is NO_DEADLINE, so a query runs to
        // completion after the caller gave up and the handler answers late, to no one.
        if (!setting.get().enforce) return done();
        // Enforced: the deadline becomes the request's AbortSignal, handed to the database
        // (routes pass request.deadline to the repositories; db/postgres-database.ts cancels).
        const deadline = new EnforcedDeadline(
          timeoutMs,
          performance.now() + timeoutMs,
          request.timing,
          request,
          reply,
          route,
        );
        timers.add(deadline, timeoutMs);
        (request as WithDeadline)[kDeadline] = deadline;
        done();
      };

    const finish: onResponseHookHandler = function finishDeadline(request, _reply, done) {
      const deadline = (request as WithDeadline)[kDeadline];
      if (deadline) timers.remove(deadline);
      done();
    };

    const clientGone: onRequestAbortHookHandler = function clientGone(request, done) {
      const deadline = (request as WithDeadline)[kDeadline];
      if (deadline && deadline.abortReason === undefined) {
        timers.remove(deadline);
        deadline.abort(new DOMException('The client closed the request.', 'AbortError'));
      }
      done();
    };

    /** The handler's outcome, unless the deadline answered first: then nothing more is sent. */
    const settle = (deadline: EnforcedDeadline, result: unknown) => {
      // Finished, but late: a blocked event loop (PGlite runs statements on this thread)
      // kept the timer from firing. The deadline still wins.
      if (!deadline.expired && deadline.remainingMs <= 0) expire(deadline);
      timers.remove(deadline);
      return deadline.expired ? undefined : result;
    };
    const fail = (deadline: EnforcedDeadline, error: unknown) => {
      timers.remove(deadline);
      if (deadline.expired) return undefined;
      // The client went away and its signal stopped the work: there is no one to answer.
      if (deadline.abortReason !== undefined) {
        deadline.request.log.info({ err: error }, 'client went away; the handler stopped');
        return undefined;
      }
      throw error;
    };

    const bind = (handler: RouteHandlerMethod): RouteHandlerMethod => {
      const bound: RouteHandlerMethod = function deadlineBound(request, reply) {
        const deadline = (request as WithDeadline)[kDeadline];
        if (!deadline) return handler.call(this, request, reply);
        // The deadline has answered already (it passed during the hooks): nothing left to do.
        if (deadline.expired) return undefined;
        let result: unknown;
        try {
          result = handler.call(this, request, reply);
        } catch (error) {
          return fail(deadline, error);
        }
        // Answered synchronously (a cache hit sends and returns the reply): done, in time.
        if (result === reply ? reply.sent : !isPromiseLike(result)) return settle(deadline, result);
        return (result as PromiseLike<unknown>).then(
          (value) => settle(deadline, value),
          (error: unknown) => fail(deadline, error),
        );
      };
      Object.defineProperty(bound, kBound, { value: true });
      return bound;
    };

    app.addHook('onRoute', (route: RouteOptions) => {
      if (typeof route.url !== 'string' || !hasDeadline(route.url)) return;
      if ((route.handler as unknown as Record<symbol, unknown>)[kBound]) return; // HEAD copies a bound GET
      deadlineExceeded.inc({ route: route.url }, 0);
      route.handler = bind(route.handler);
      route.onRequest = [...asArray(route.onRequest), start(route.url)];
      route.onResponse = [...asArray(route.onResponse), finish];
      route.onRequestAbort = [...asArray(route.onRequestAbort), clientGone];
    });
  },
  { name: 'deadline', dependencies: ['metrics', 'error-handler'] },
);

function isPromiseLike(value: unknown): boolean {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
