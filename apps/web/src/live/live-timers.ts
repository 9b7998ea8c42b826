import { liveResourceOpened } from './live-resources';

/** A timer that can be cancelled any number of times. */
export type CancelTimer = () => void;

/** `setTimeout`, reported as a live resource (live-resources.ts) until it fires or is cancelled. */
export function setLiveTimeout(run: () => void, ms: number): CancelTimer {
  const release = liveResourceOpened('timer');
  const handle = setTimeout(() => {
    release();
    run();
  }, ms);
  return () => {
    clearTimeout(handle);
    release();
  };
}

/** `setInterval`, reported as a live resource (live-resources.ts) until it is cancelled. */
export function setLiveInterval(run: () => void, ms: number): CancelTimer {
  const release = liveResourceOpened('timer');
  const handle = setInterval(run, ms);
  return () => {
    clearInterval(handle);
    release();
  };
}
