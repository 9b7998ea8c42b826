import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The drain before a shutdown: `/readyz` fails once it has begun; every other route still answers. */
    shutdownDrain: ShutdownDrainState;
  }
}

export interface ShutdownDrainState {
  /** A shutdown has begun: the API is leaving its balancer's rotation. */
  readonly draining: boolean;
  /** Called once, on SIGTERM, before the drain period (server.ts, SHUTDOWN_DRAIN_MS; SIGINT closes at once). */
  begin(): void;
}

/**
 * The flag behind the drain before close: a load balancer keeps sending an API requests
 * until its health check sees `/readyz` fail, and a replica that closed at once would refuse
 * what the balancer had already sent it. So a shutdown first turns `/readyz` to 503 and
 * serves on for the drain period; the period itself is server.ts's (shutdownOnSignals).
 */
export default fp(
  async (app) => {
    let draining = false;
    app.decorate('shutdownDrain', {
      get draining() {
        return draining;
      },
      begin() {
        draining = true;
      },
    });
  },
  { name: 'shutdown-drain' },
);
