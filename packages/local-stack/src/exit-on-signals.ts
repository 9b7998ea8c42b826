/** The exit code a shell gives a command ended by each signal (128 + its number). */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

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
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the servers this command started.`);
      process.exit(code);
    });
  }
}
