import type { EventGeneratorSettings } from '@tandem/contract';
import fp from 'fastify-plugin';
import type { z } from 'zod';

declare module 'fastify' {
  interface FastifyInstance {
    eventGenerator: EventGenerator;
  }
}

export type GeneratorSettings = z.output<typeof EventGeneratorSettings>;

export interface EventGenerator {
  settings(): GeneratorSettings;
  /** Replaces the running rate (0 stops). */
  set(settings: GeneratorSettings): GeneratorSettings;
  stop(): void;
}

/** Finest timer step: at 10,000+/s each tick publishes a batch, not one event per timer. */
const TICK_MS = 10;

/**
 * Synthetic `generator.tick` events for load tests and benchmarks, at a steady rate: each timer
 * tick publishes however many events are due since the start (so timer jitter does not
 * change the rate), with one timestamp and one padding string for the batch.
 */
export function createEventGenerator(publish: (at: Date, padding: string) => void): EventGenerator {
  let current: GeneratorSettings = { eventsPerSecond: 0, payloadBytes: 0 };
  let timer: NodeJS.Timeout | undefined;

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };

  return {
    settings: () => ({ ...current }),
    set(settings) {
      stop();
      current = { ...settings };
      const { eventsPerSecond, payloadBytes } = current;
      if (eventsPerSecond === 0) return { ...current };
      const padding = 'x'.repeat(payloadBytes);
      const startedAt = performance.now();
      let emitted = 0;
      const maxBatch = Math.ceil(eventsPerSecond / 10);
      const interval = Math.max(TICK_MS, Math.min(1000, Math.floor(1000 / eventsPerSecond)));
      timer = setInterval(() => {
        const due = Math.floor(((performance.now() - startedAt) * eventsPerSecond) / 1000) - emitted;
        if (due <= 0) return;
        // After a stall (GC, a busy loop) skip what is overdue rather than burst it all at once.
        const batch = Math.min(due, maxBatch);
        const at = new Date();
        for (let i = 0; i < batch; i++) publish(at, padding);
        emitted += due;
      }, interval).unref();
      return { ...current };
    },
    stop,
  };
}

export default fp(
  async (app) => {
    const generator = createEventGenerator((at, padding) =>
      app.liveEvents.publish({ type: 'generator.tick', at, padding }),
    );
    app.decorate('eventGenerator', generator);
    app.addHook('preClose', (done) => {
      generator.stop();
      done();
    });
  },
  { name: 'event-generator', dependencies: ['live-events'] },
);
