/** One line per step on stderr, with the time since the lab started, so a long run shows it is alive. */
export function createProgress(labId: string) {
  const started = Date.now();
  return (message: string) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    process.stderr.write(`[${labId} ${seconds} s] ${message}\n`);
  };
}
export type Progress = ReturnType<typeof createProgress>;
