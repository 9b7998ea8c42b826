import type { RateLimitWeighting } from '@tandem/contract';
import type { LabId } from '@tandem/contract/labs';
import type { FastifyInstance } from 'fastify';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { SessionCachePolicy } from '../accounts/session-cache.js';
import type { CustomerNameComparator } from '../customer-name-order.js';
import type { DeadlinePolicy } from '../plugins/app/deadline.js';
import type { HeartbeatPolicy } from '../plugins/app/heartbeat-policy.js';
import type { OrdersRepository } from '../plugins/app/orders-repository.js';
import type { ReportsRepository } from '../plugins/app/reports-repository.js';
import type { RequestIdPolicy } from '../plugins/app/request-id.js';
import type { CorsPreflightPolicy } from '../plugins/external/cors.js';
import { createSetting, type Setting } from '../setting.js';

/**
 * One thing a lab changes, as the lab layer holds it: the value now, a way to change it,
 * and the value the API started with — the product's own behaviour, which is every lab's
 * tuned side (`reset()`).
 */
export interface Seam<T> {
  readonly initial: T;
  get(): T;
  set(value: T): void;
  reset(): void;
}

/**
 * Every seam of the API a lab flips, by what it is in the product (each lab's file says
 * which it uses and how): the settings the product's plugins decorate the app with, the
 * repositories the routes read (replaced by a decorator while a lab is naive), and the
 * first-page cache, which a lab that changes how the page is written suspends.
 */
export interface LabSeams {
  /** plugins/external/cors.ts */
  corsPreflight: Seam<CorsPreflightPolicy>;
  /** plugins/app/request-id.ts */
  requestIdPolicy: Seam<RequestIdPolicy>;
  /** plugins/app/deadline.ts */
  deadlinePolicy: Seam<DeadlinePolicy>;
  /** plugins/app/heartbeat-policy.ts */
  heartbeatPolicy: Seam<HeartbeatPolicy>;
  /** plugins/app/rate-limit.ts (`app.rateLimiter`) */
  rateLimitWeighting: Seam<RateLimitWeighting>;
  /** plugins/app/reports-repository.ts */
  customerNameComparator: Seam<CustomerNameComparator>;
  /** plugins/app/password-hasher.ts */
  passwordHasher: Seam<PasswordHasher>;
  /** plugins/app/sessions-repository.ts: the session lookups cache's TTL. */
  sessionCachePolicy: Seam<SessionCachePolicy>;
  /** `app.ordersRepository`, which the routes read per request. */
  ordersRepository: Seam<OrdersRepository>;
  /** `app.reportsRepository`, which the routes read per request. */
  reportsRepository: Seam<ReportsRepository>;
  /** plugins/app/orders-page-cache.ts: off while any lab suspends it. */
  firstPageCache: { suspend(by: LabId): void; resume(by: LabId): void };
  /** The lab layer's own: its serialization hook writes with per-response validation (labs/serialization.ts). */
  validatingSerializer: Setting<boolean>;
  /** The lab layer's own: its date-codec hook writes dates as database text (labs/date-codec.ts). */
  databaseTextDates: Setting<boolean>;
}

function seam<T>(get: () => T, set: (value: T) => void): Seam<T> {
  const initial = get();
  return { initial, get, set, reset: () => set(initial) };
}

const ofSetting = <T>(setting: Setting<T>): Seam<T> => seam(setting.get, setting.set);

/** The seams of this app, their `initial` read now: call it once, before any lab is applied. */
export function labSeamsOf(app: FastifyInstance): LabSeams {
  const suspended = new Set<LabId>();
  const cacheFollows = () => app.ordersPageCache.setEnabled(suspended.size === 0);
  return {
    corsPreflight: ofSetting(app.corsPreflight),
    requestIdPolicy: ofSetting(app.requestIdPolicy),
    deadlinePolicy: ofSetting(app.deadlinePolicy),
    heartbeatPolicy: ofSetting(app.heartbeatPolicy),
    rateLimitWeighting: seam(
      () => app.rateLimiter.weighting,
      (weighting) => app.rateLimiter.setWeighting(weighting),
    ),
    customerNameComparator: ofSetting(app.customerNameComparator),
    passwordHasher: ofSetting(app.passwordHasher),
    sessionCachePolicy: ofSetting(app.sessionCachePolicy),
    ordersRepository: seam(
      () => app.ordersRepository,
      (repository) => {
        app.ordersRepository = repository;
      },
    ),
    reportsRepository: seam(
      () => app.reportsRepository,
      (repository) => {
        app.reportsRepository = repository;
      },
    ),
    firstPageCache: {
      suspend(by) {
        if (suspended.has(by)) return;
        suspended.add(by);
        cacheFollows();
      },
      resume(by) {
        if (!suspended.delete(by)) return;
        cacheFollows();
      },
    },
    validatingSerializer: createSetting(false),
    databaseTextDates: createSetting(false),
  };
}
