import { trackOpen } from './open-connections';

/** A timer that can be cancelled any number of times; it counts as open until it fires or is cancelled. */
export type CancelTimer = () => void;

/** `setTimeout`, counted in the open-connections registry while it is pending. */
export function setTrackedTimeout(run: () => void, ms: number): CancelTimer {
  const release = trackOpen('timers');
  const handle = setTimeout(() => {
    release();
    run();
  }, ms);
  return () => {
    clearTimeout(handle);
    release();
  };
}

/** `setInterval`, counted in the open-connections registry until it is cancelled. */
export function setTrackedInterval(run: () => void, ms: number): CancelTimer {
  const release = trackOpen('timers');
  const handle = setInterval(run, ms);
  return () => {
    clearInterval(handle);
    release();
  };
}
