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
 * On the first SIGTERM or SIGINT: stop accepting, let what is in flight finish (the
 * server's close and its onClose hooks), exit 0; past `timeoutMs`, or if closing fails, exit 1.
 */
export function shutdownOnSignals(server: ClosableServer, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, `received ${signal}, shutting down`);
    const timer = setTimeout(() => {
      server.log.error(`shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    server.close().then(
      () => {
        server.log.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
