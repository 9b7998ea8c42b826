import closeWithGrace from 'close-with-grace';

/** What shutting down needs of a server: Fastify's instance has it. */
export interface ClosableServer {
  log: {
    info(obj: object, msg: string): void;
    info(msg: string): void;
    error(obj: object, msg: string): void;
    error(msg: string): void;
  };
  close(): PromiseLike<unknown>;
}

/**
 * What close-with-grace would listen for besides SIGTERM (an orchestrator, `kill`) and SIGINT
 * (Ctrl-C), each left as it was: SIGUSR2 asks the API
 * for a heap snapshot (docs/profiling.md), SIGHUP, SIGQUIT and the fault signals keep Node's
 * default, and an uncaught error still ends the process at once with its stack (its state is
 * unknown: finishing requests on it is not safe).
 */
const LEFT_ALONE: closeWithGrace.AllEvents[] = [
  'SIGHUP',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGSEGV',
  'SIGUSR2',
  'uncaughtException',
  'unhandledRejection',
  'beforeExit',
];

/**
 * A period before closing during which the server keeps serving everything but tells its
 * load balancer to stop sending it traffic (the API's `/readyz` answers 503): long enough
 * for the balancer's health check to take it out, so nothing is sent to it once it closes.
 */
export interface ShutdownDrain {
  /** 0: close at once. Only SIGTERM drains. */
  periodMs: number;
  /** Called when the period starts: from then on the readiness check fails. */
  begin(): void;
}

/**
 * On the first SIGTERM or SIGINT: drain for `drain.periodMs` when given and the signal is
 * SIGTERM (an orchestrator's, a balancer's replica being replaced; SIGINT is a person's
 * Ctrl-C, or a stack stopping its balancer first: no one to tell, so no wait), then stop
 * accepting, let what is in flight finish (the server's close and its onClose hooks), exit
 * 0; past `timeoutMs` of closing (the drain not counted), or if closing fails, exit 1.
 * A second SIGTERM or SIGINT while it drains or closes exits 1 at once: whoever sent it
 * (a second Ctrl-C, an orchestrator that gave up) does not want to wait. close-with-grace
 * runs it.
 */
export function shutdownOnSignals(server: ClosableServer, timeoutMs: number, drain?: ShutdownDrain): void {
  const drainMs = drain?.periodMs ?? 0;
  closeWithGrace(
    {
      delay: drainMs + timeoutMs,
      // Every line goes through the server's own logger, below.
      logger: false,
      skip: LEFT_ALONE,
      onSecondSignal: (signal) => server.log.error({ signal }, `received ${signal} again while shutting down; exiting`),
      onTimeout: (delay) => server.log.error(`shutdown took longer than ${delay} ms; exiting`),
    },
    async ({ signal }) => {
      server.log.info({ signal }, `received ${signal}, shutting down`);
      if (drain && drainMs > 0 && signal === 'SIGTERM') {
        drain.begin();
        server.log.info({ drainMs }, `draining for ${drainMs} ms: not ready, still serving`);
        await new Promise((resolve) => setTimeout(resolve, drainMs));
      }
      try {
        await server.close();
      } catch (error) {
        server.log.error({ err: error }, 'shutdown failed');
        throw error;
      }
      server.log.info('shut down cleanly');
    },
  );
}
