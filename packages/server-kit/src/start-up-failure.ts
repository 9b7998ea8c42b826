import { ConfigError } from './config-error.js';

/**
 * A server that cannot start says why in one line on stderr and exits 1: a bad variable, a
 * port taken, a file it cannot read are configuration, and a stack trace is for bugs.
 */
export class StartUpFailure extends Error {
  override name = 'StartUpFailure';
}

/** The config `load` reads, or a `StartUpFailure` carrying the `ConfigError`'s message. */
export function loadConfigOrFail<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) throw new StartUpFailure(error.message);
    throw error;
  }
}

/** Where a server listens, and the variables that set it, for the message when it cannot. */
export interface ListenTarget {
  host: string;
  port: number;
  hostVariable: string;
  portVariable: string;
}

/** What to say when something else already listens where the server would. */
export function portTakenMessage({ host, port, portVariable }: ListenTarget): string {
  return `Port ${port} on ${host} is already in use: stop the other process or set ${portVariable}.`;
}

/** A listen error said as what to change, or undefined for an error that is not configuration. */
export function explainListenError(error: unknown, target: ListenTarget): string | undefined {
  const { host, port, hostVariable, portVariable } = target;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return portTakenMessage(target);
    case 'EACCES':
      return `Not allowed to listen on ${host}:${port}: choose another ${portVariable}.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `Cannot listen on ${host}: the address is not on this machine; check ${hostVariable}.`;
    default:
      return undefined;
  }
}

/**
 * Runs a server's `main`: a `StartUpFailure` is printed as its one line and sets exit code 1;
 * anything else is a bug and keeps its stack.
 */
export async function runServer(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof StartUpFailure)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
