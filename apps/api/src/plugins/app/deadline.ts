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
import { AppError } from '../../errors.js';
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

interface DeadlineState {
  readonly deadline: RequestDeadline;
  /**
   * Made the first time someone reads `deadline.signal` (a query does; a cache hit never
   * does): most requests finish without anyone listening, and an AbortController per
   * request is measurable on the hot path (docs/performance.md).
   */
  controller: AbortController | undefined;
  /** Why the request was aborted, once it was (deadline or client gone), signal made or not. */
  abortReason: unknown;
  timer: NodeJS.Timeout | undefined;
  /** The deadline answered (504) before the handler did. */
  expired: boolean;
  /** Set while the handler runs: fails its race with a 504. */
  expire: ((error: AppError) => void) | undefined;
}

const kState = Symbol('deadline state');
type WithState = FastifyRequest & { [kState]?: DeadlineState };
const kBound = Symbol('deadline-bound handler');

/**
 * Request deadlines. Every /api/ route except the event stream and the socket gets one:
 * the caller's `X-Request-Timeout` (whole ms; a bad value is a 400 naming the header; a
 * value above REQUEST_TIMEOUT_MAX_MS is clamped to it, not refused), or
 * REQUEST_TIMEOUT_DEFAULT_MS when none is sent, counted from the request's arrival.
 * `request.deadline.signal` aborts at the deadline and when the client goes away; the
 * database cancels the running query on it (db/postgres-database.ts).
 *
 * When the deadline passes before the handler has answered, the request is answered
 * 504 DEADLINE_EXCEEDED right then, exactly once: the handler is raced against the
 * deadline, and whatever it returns or throws later is dropped.
 *
 * All of this is `app.deadlinePolicy` `{ enforce: true }`, the default; `{ enforce: false }`
 * ignores the deadline and the client going away alike (startDeadline).
 */
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
        return (this as WithState)[kState]?.deadline ?? { ...NO_DEADLINE, timing: this.timing };
      },
    });

    const stop = (state: DeadlineState) => {
      clearTimeout(state.timer);
      state.timer = undefined;
      state.expire = undefined;
    };

    const expire = (request: FastifyRequest, reply: FastifyReply, route: string, state: DeadlineState) => {
      state.timer = undefined;
      if (reply.sent) return;
      state.expired = true;
      deadlineExceeded.inc({ route });
      const error = new AppError('DEADLINE_EXCEEDED', {
        message: `The request ran past its deadline of ${state.deadline.timeoutMs} ms.`,
      });
      // Cancels what the handler started (the database query) before answering.
      abort(state, new DOMException(error.message, 'TimeoutError'));
      if (state.expire) {
        // The handler is running: its race fails, and Fastify answers through the error handler.
        state.expire(error);
        state.expire = undefined;
      } else {
        // Still before the handler (reading the body, hooks): answer now; Fastify will not call it.
        replyWithError(error, request, reply);
      }
    };

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
        const expiresAt = performance.now() + timeoutMs;
        const state: DeadlineState = {
          deadline: {
            get signal() {
              return signalOf(state);
            },
            timeoutMs,
            timing: request.timing,
            get remainingMs() {
              return expiresAt - performance.now();
            },
          },
          controller: undefined,
          abortReason: undefined,
          timer: undefined,
          expired: false,
          expire: undefined,
        };
        state.timer = setTimeout(expire, timeoutMs, request, reply, route, state);
        (request as WithState)[kState] = state;
        done();
      };

    const finish: onResponseHookHandler = function finishDeadline(request, _reply, done) {
      const state = (request as WithState)[kState];
      if (state) stop(state);
      done();
    };

    const clientGone: onRequestAbortHookHandler = function clientGone(request, done) {
      const state = (request as WithState)[kState];
      if (state && state.abortReason === undefined) {
        stop(state);
        abort(state, new DOMException('The client closed the request.', 'AbortError'));
      }
      done();
    };

    const bind = (handler: RouteHandlerMethod, route: string): RouteHandlerMethod => {
      const bound: RouteHandlerMethod = function deadlineBound(request, reply) {
        const state = (request as WithState)[kState];
        if (!state) return handler.call(this, request, reply);
        // The deadline has answered already (it passed during the hooks): nothing left to do.
        if (state.expired) return undefined;
        return new Promise((resolve, reject) => {
          state.expire = reject;
          Promise.resolve(handler.call(this, request, reply)).then(
            (result) => {
              // Finished, but late: a blocked event loop (PGlite runs statements on this
              // thread) kept the timer from firing. The deadline still wins.
              if (state.deadline.remainingMs <= 0 && state.expire) {
                clearTimeout(state.timer);
                expire(request, reply, route, state);
                return;
              }
              stop(state);
              resolve(result);
            },
            (error: unknown) => {
              stop(state);
              // The client went away and its signal stopped the work: there is no one to answer.
              if (state.abortReason !== undefined && !state.expired) {
                request.log.info({ err: error }, 'client went away; the handler stopped');
                resolve(undefined);
              } else {
                reject(error);
              }
            },
          );
        });
      };
      Object.defineProperty(bound, kBound, { value: true });
      return bound;
    };

    app.addHook('onRoute', (route: RouteOptions) => {
      if (typeof route.url !== 'string' || !hasDeadline(route.url)) return;
      if ((route.handler as unknown as Record<symbol, unknown>)[kBound]) return; // HEAD copies a bound GET
      deadlineExceeded.inc({ route: route.url }, 0);
      route.handler = bind(route.handler, route.url);
      route.onRequest = [...asArray(route.onRequest), start(route.url)];
      route.onResponse = [...asArray(route.onResponse), finish];
      route.onRequestAbort = [...asArray(route.onRequestAbort), clientGone];
    });
  },
  { name: 'deadline', dependencies: ['metrics', 'error-handler'] },
);

/** The request's AbortSignal, made on first read; already aborted if the request was. */
function signalOf(state: DeadlineState): AbortSignal {
  if (!state.controller) {
    state.controller = new AbortController();
    if (state.abortReason !== undefined) state.controller.abort(state.abortReason);
  }
  return state.controller.signal;
}

function abort(state: DeadlineState, reason: unknown): void {
  if (state.abortReason !== undefined) return;
  state.abortReason = reason;
  state.controller?.abort(reason);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
