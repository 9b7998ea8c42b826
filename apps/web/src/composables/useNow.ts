import { onScopeDispose, readonly, ref } from 'vue';
import { leaksCleanup } from '../labs/leaks-cleanup';
import { setTrackedInterval } from '../labs/tracked-timers';

/** The current time in ms, refreshed every `intervalMs`, for "2 minutes ago" labels and ages. */
export function useNow(intervalMs = 10_000) {
  const now = ref(Date.now());
  const stop = setTrackedInterval(() => {
    now.value = Date.now();
  }, intervalMs);

  if (leaksCleanup()) {
    // lab leaks: tuned — the interval ends with the component.
    onScopeDispose(stop);
  }
  // lab leaks: naive — no cleanup: the interval keeps ticking after the component is gone.

  return readonly(now);
}
