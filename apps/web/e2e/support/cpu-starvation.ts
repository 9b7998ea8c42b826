/**
 * Starves a process group of CPU the way an overcommitted host does: stopped (SIGSTOP) for
 * `stoppedMs`, running (SIGCONT) for `runningMs`, again and again until the returned
 * function is called (which leaves it running). The process's own event-loop delay
 * monitors then see real delays of about `stoppedMs`; nothing in it is changed or told.
 */
export function starveOfCpu(groupPid: number, { stoppedMs = 300, runningMs = 30 } = {}): () => void {
  let starving = true;
  let timer: NodeJS.Timeout | undefined;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-groupPid, name);
    } catch {
      // The group is gone: nothing left to starve.
    }
  };
  const stop = () => {
    if (!starving) return;
    signal('SIGSTOP');
    timer = setTimeout(run, stoppedMs);
  };
  // The running window is waited out here, not with a timer: on a loaded machine this
  // process's timers come late, and a window stretched past the sampler's interval would
  // let the process's own sampler see a calm loop.
  const run = () => {
    signal('SIGCONT');
    if (!starving) return;
    const until = performance.now() + runningMs;
    while (performance.now() < until) {
      // The starved process runs meanwhile.
    }
    stop();
  };
  stop();
  return () => {
    starving = false;
    clearTimeout(timer);
    signal('SIGCONT');
  };
}
