import underPressure from '@fastify/under-pressure';
import { type Endpoint, endpoints, shedWhenOverloaded } from '@tandem/contract';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { LoadSheddingConfig } from '../../config.js';
import { AppError } from '../../errors.js';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether an overloaded API sheds; a change applies to the next request. */
    loadSheddingPolicy: Setting<LoadSheddingPolicy>;
    /** What the sampler last saw; `/readyz` fails while `shedding`. */
    loadShedding: LoadSheddingState;
  }
}

export interface LoadSheddingPolicy {
  /**
   * On: past a threshold, every sheddable request (contract: `shedWhenOverloaded`) is
   * answered 503 `OVERLOADED` with `Retry-After` until a sample is under every threshold
   * again, and `/readyz` fails meanwhile. Off: the sampler keeps sampling and nothing is
   * refused (an API behind a gateway that sheds for it; `pnpm bench overload`'s other side).
   */
  readonly shed: boolean;
}

export interface LoadSheddingState {
  /** The last sample was past a threshold. */
  readonly overloaded: boolean;
  /** Overloaded and the policy sheds: sheddable requests are being refused. */
  readonly shedding: boolean;
}

export interface LoadSheddingOptions {
  thresholds: LoadSheddingConfig;
  /** At start (default: shed); `app.loadSheddingPolicy` changes it at run time. */
  policy?: LoadSheddingPolicy;
}

const kShed = Symbol('load-shedding check');

/**
 * Sheds load instead of falling over. @fastify/under-pressure samples the event-loop
 * delay, the event-loop utilisation (per interval) and the heap every `sampleIntervalMs`
 * and judges them against the thresholds; this plugin turns each verdict into one flag.
 * Under-pressure's own onRequest hook would judge the thresholds and build
 * `request.routeOptions` (a fresh object) on every request, so it is registered in a
 * context of its own that holds no route: a request pays one flag read, in a hook added
 * only to the routes the contract says are shed (`/api/`, admin routes excepted; never
 * the probes or `/metrics`). It runs at onRequest after the app's hooks (a 503 keeps its
 * CORS headers and request id, so the SPA reads it) and before the rate limiter's charge,
 * the deadline and the body. A shed request is the error handler's 503 envelope with
 * `Retry-After` and `data.retryAfterMs`, which the SPA's retry policy waits for.
 *
 * With every threshold at 0 nothing is sampled and no hook is added.
 */
export default fp<LoadSheddingOptions>(
  async (app, options) => {
    const { thresholds } = options;
    const policy = createSetting(options.policy ?? { shed: true });
    const state = { overloaded: false, shedding: false };
    app.decorate('loadSheddingPolicy', policy);
    app.decorate('loadShedding', {
      get overloaded() {
        return state.overloaded;
      },
      get shedding() {
        return state.shedding;
      },
    });
    const on =
      thresholds.maxEventLoopDelayMs > 0 || thresholds.maxEventLoopUtilization > 0 || thresholds.maxHeapUsedBytes > 0;
    if (!on) {
      app.log.info('load shedding off: every LOAD_SHEDDING_MAX_* threshold is 0');
      return;
    }

    let sensor: { isUnderPressure(): boolean; memoryUsage(): Record<string, number> } | undefined;
    await app.register(async (sensorContext) => {
      await sensorContext.register(underPressure, {
        maxEventLoopDelay: thresholds.maxEventLoopDelayMs,
        maxEventLoopUtilization: thresholds.maxEventLoopUtilization,
        eventLoopUtilizationMode: 'interval',
        maxHeapUsedBytes: thresholds.maxHeapUsedBytes,
        sampleInterval: thresholds.sampleIntervalMs,
      });
      sensor = sensorContext;
    });

    const update = () => {
      const overloaded = sensor?.isUnderPressure() ?? false;
      if (overloaded !== state.overloaded) {
        const sample = sensor?.memoryUsage();
        if (overloaded) app.log.warn({ sample, thresholds }, 'overloaded: shedding load');
        else app.log.info({ sample }, 'no longer overloaded');
      }
      state.overloaded = overloaded;
      state.shedding = overloaded && policy.get().shed;
    };
    const timer = setInterval(update, thresholds.sampleIntervalMs);
    timer.unref();
    policy.onChange(update);
    app.addHook('onClose', async () => clearInterval(timer));

    // One instance for every shed request: under overload, no stack trace per refusal.
    const overloaded = new AppError('OVERLOADED', { retryAfterMs: thresholds.retryAfterSeconds * 1000 });
    const shedWhenOverloadedHook: onRequestHookHandler = function shedWhenOverloadedHook(_request, _reply, done) {
      if (state.shedding) return done(overloaded);
      done();
    };
    Object.defineProperty(shedWhenOverloadedHook, kShed, { value: true });

    const shed = new Set(
      (Object.values(endpoints) as Endpoint[])
        .filter(shedWhenOverloaded)
        .map((endpoint) => `${endpoint.method} ${endpoint.path}`),
    );
    app.addHook('onRoute', (route) => {
      const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
      if (hooks.some((hook) => (hook as unknown as Record<symbol, unknown>)[kShed])) return; // HEAD copies its GET
      const methods = [route.method].flat().map((method) => (method === 'HEAD' ? 'GET' : method));
      if (!methods.some((method) => shed.has(`${method} ${route.url}`))) return;
      route.onRequest = [shedWhenOverloadedHook, ...hooks];
    });
  },
  { name: 'load-shedding', dependencies: ['error-handler', 'rate-limit'] },
);
