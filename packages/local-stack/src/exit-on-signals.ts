import { constants } from 'node:os';

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

/**
 * For a command that starts servers (`pnpm lab`, `pnpm bench`, `pnpm profile`): Ctrl-C,
 * SIGTERM or a closed terminal end it through `process.exit`, so its 'exit' handlers run —
 * ServerProcess takes each server's process group down, a lab run releases its folder.
 * Without a handler, Node dies of the signal without an 'exit' event, and the servers,
 * detached in their own groups (they never get the terminal's Ctrl-C), live on: ports held,
 * an embedded database still open that the next run would open too (seen with `pnpm lab`
 * before this existed: the API outlived an interrupted run).
 */
export function exitOnSignals(say: (line: string) => void = (line) => console.error(line)): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the servers this command started.`);
      // What a shell reports for a command ended by the signal: 128 + its number.
      process.exit(128 + constants.signals[signal]);
    });
  }
}
