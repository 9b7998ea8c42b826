import { readonly, ref } from 'vue';
import { closeOnDispose } from '../live/close-on-dispose';
import { setLiveInterval } from '../live/live-timers';

/** The current time in ms, refreshed every `intervalMs`, for "2 minutes ago" labels and ages. */
export function useNow(intervalMs = 10_000) {
  const now = ref(Date.now());
  const stop = setLiveInterval(() => {
    now.value = Date.now();
  }, intervalMs);
  // The interval ends with the component.
  closeOnDispose(stop);

  return readonly(now);
}
