import type { Config } from '../config.js';
import { defineLab } from './define-lab.js';
import type { LabConfig } from './lab-config.js';

/**
 * The API's config as the scale-out lab starts it: tuned, the product's (REDIS_URL shares
 * the rate-limit buckets, live events, presence and the caches' invalidations with every
 * replica); naive, the same Redis ignored by both plugins that read it, so each replica
 * keeps all four in its own process, as a team that adds replicas without moving state
 * would run them.
 *
 * Read at start, not switched at run time, because the seams are the `redisUrl` options of
 * plugins/app/rate-limit.ts and plugins/app/shared-state.ts, which open their connections
 * and subscriptions once: the live-events bus either numbers its events itself or follows
 * the numbers of the Redis stream (plugins/app/live-events.ts), and switching a running bus
 * from one numbering to the other would hand its clients ids that mean another event, so
 * Last-Event-ID would resume at the wrong place. The limiter's store, presence and the
 * invalidations could be swapped at run time only through setters the product has no use
 * for; they follow the events' start value, so one mode means one topology.
 */
export function scaleOutStartConfig(config: Readonly<Config>, labConfig: Readonly<LabConfig>): Readonly<Config> {
  if (labConfig.modes['scale-out'] === 'tuned') return config;
  return Object.freeze({
    ...config,
    rateLimit: { ...config.rateLimit, redisUrl: undefined },
    sharedState: { ...config.sharedState, redisUrl: undefined },
  });
}

/**
 * scale-out: what replicas share, in each process (naive) or on Redis (tuned). The mode is
 * applied at start (scaleOutStartConfig, from LAB_MODE_SCALE_OUT); a flip at run time only
 * changes what GET /api/v1/labs reports, and the replica logs that it needs a restart.
 * `pnpm lab scale-out` starts the replicas once per setting.
 */
export const scaleOutLab = defineLab('scale-out', {
  install: (app, _seams, config) => {
    const started = config.modes['scale-out'];
    app.labs.onChange('scale-out', (mode) => {
      if (mode === started) return;
      app.log.warn(
        { lab: 'scale-out', mode, running: started },
        'scale-out lab: the shared state is chosen at start; restart the replicas with LAB_MODE_SCALE_OUT to apply it',
      );
    });
  },
  naive: () => {},
  tuned: () => {},
});
