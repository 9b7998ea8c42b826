import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { createLocalSessionInvalidation, type SessionInvalidation } from '../../accounts/session-invalidation.js';
import type { SharedStateConfig } from '../../config.js';
import { createLocalPresence, type Presence } from '../../shared-state/presence.js';
import { closeRedisConnection, openRedisConnection } from '../../shared-state/redis-connection.js';
import { RedisEventRelay } from '../../shared-state/redis-event-relay.js';
import { createRedisInvalidations } from '../../shared-state/redis-invalidations.js';
import { createRedisPresence } from '../../shared-state/redis-presence.js';
import type { SharedFeature } from '../external/metrics.js';
import type { LiveEventRelay } from './live-events.js';
import { localOrdersPageInvalidation, type OrdersPageInvalidation } from './orders-page-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What this replica shares with the others: through Redis with REDIS_URL, this process's alone without. */
    sharedState: SharedState;
  }
}

export interface SharedState {
  /** `redis`: shared with every replica on the same Redis; `local`: this process only. */
  readonly kind: 'redis' | 'local';
  /** This process's name among the replicas (Redis keys, pub/sub messages). */
  readonly replicaId: string;
  /** Numbers live events for every replica; undefined: the bus numbers them itself. */
  readonly eventRelay: LiveEventRelay | undefined;
  readonly presence: Presence;
  readonly ordersPageInvalidation: OrdersPageInvalidation;
  readonly sessionInvalidation: SessionInvalidation;
}

export interface SharedStatePluginOptions {
  config: Readonly<SharedStateConfig>;
}

/** At most one warning per feature per this long (Redis down means one per command otherwise). */
const WARNING_INTERVAL_MS = 10_000;

/**
 * The seams several replicas share, set up once: without REDIS_URL each is this
 * process's own (the single-process behaviour: the bus numbers events, presence is the
 * local count, caches empty only themselves). With it, live events go through a Redis
 * stream, presence is summed over the replicas and the caches' invalidations go over
 * pub/sub (shared-state/). Redis being away never fails a request: each feature falls
 * back as docs/decisions/0016-shared-state-on-redis.md says, counted in
 * `tandem_shared_state_failures_total` and logged at most once per 10 s per feature.
 */
export default fp<SharedStatePluginOptions>(
  async (app, { config }) => {
    const replicaId = randomUUID();
    if (!config.redisUrl) {
      app.decorate('sharedState', {
        kind: 'local',
        replicaId,
        eventRelay: undefined,
        presence: createLocalPresence(),
        ordersPageInvalidation: localOrdersPageInvalidation,
        sessionInvalidation: createLocalSessionInvalidation(),
      } satisfies SharedState);
      return;
    }

    const { sharedStateFailures, liveEventsRelayed, cacheInvalidations } = app.metrics;
    const lastWarning = new Map<SharedFeature, number>();
    const failed = (feature: SharedFeature) => (error: unknown) => {
      sharedStateFailures.inc({ feature });
      const now = performance.now();
      if (now - (lastWarning.get(feature) ?? Number.NEGATIVE_INFINITY) < WARNING_INTERVAL_MS) return;
      lastWarning.set(feature, now);
      app.log.warn({ err: error, feature }, 'shared state: Redis did not answer; falling back (decision 0016)');
    };

    const url = config.redisUrl;
    const [redis, subscriber, eventRelay] = await Promise.all([
      openRedisConnection({ url, commandTimeoutMs: 250, onError: failed('invalidations') }),
      openRedisConnection({ url, commandTimeoutMs: 0, subscriber: true, onError: failed('invalidations') }),
      RedisEventRelay.connect({
        url,
        retention: config.eventStreamRetention,
        onError: failed('events'),
        onEvents: (outcome, count) => liveEventsRelayed.inc({ outcome }, count),
      }),
    ]);
    const presence = createRedisPresence({
      redis,
      subscriber,
      replicaId,
      heartbeatMs: config.presenceHeartbeatMs,
      onError: failed('presence'),
    });
    const invalidations = createRedisInvalidations({
      redis,
      subscriber,
      replicaId,
      onError: failed('invalidations'),
      onInvalidation: (cache, direction) => cacheInvalidations.inc({ cache, direction }),
    });

    app.decorate('sharedState', {
      kind: 'redis',
      replicaId,
      eventRelay,
      presence,
      ordersPageInvalidation: invalidations.ordersPage,
      sessionInvalidation: invalidations.sessions,
    } satisfies SharedState);
    app.log.info({ replicaId }, 'shared state on Redis: live events, presence, cache invalidations');

    app.addHook('onClose', async () => {
      invalidations.close();
      await presence.close();
      await eventRelay.close();
      subscriber.disconnect();
      await closeRedisConnection(redis);
    });
  },
  { name: 'shared-state', dependencies: ['metrics'] },
);
