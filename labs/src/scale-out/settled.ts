/** Resolves once `done()` holds (checked every 50 ms) or after `timeoutMs`, whichever comes first. */
export async function settled(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
