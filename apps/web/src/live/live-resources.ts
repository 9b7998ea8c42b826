/** What the live composables open and must close again. */
export type LiveResourceKind = 'eventSource' | 'webSocket' | 'timer';

/**
 * Told of every live resource the composables open; returns what to call when that
 * resource is closed (or, for a timer, fires or is cancelled). A place to count them, for
 * a debugging panel or a leak check.
 */
export type LiveResourceObserver = (kind: LiveResourceKind) => () => void;

let observer: LiveResourceObserver | undefined;

/** Sets the observer of live resources (`undefined`: none, the default). Resources opened before keep theirs. */
export function observeLiveResources(next: LiveResourceObserver | undefined): void {
  observer = next;
}

/**
 * Reports one resource opened and returns the function that reports it closed; calling
 * that again does nothing, so every close path may call it.
 */
export function liveResourceOpened(kind: LiveResourceKind): () => void {
  const closed = observer?.(kind);
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    closed?.();
  };
}
