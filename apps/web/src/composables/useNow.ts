import { onMounted, readonly, ref } from 'vue';
import { closeOnDispose } from '../live/close-on-dispose';
import { setLiveInterval } from '../live/live-timers';

/** The current time in ms, refreshed every `intervalMs`, for "2 minutes ago" labels and ages. */
export function useNow(intervalMs = 10_000) {
  const now = ref(Date.now());
  // Started once mounted, so a component rendered to HTML (the build's pre-render) leaves no
  // timer behind; it ends with the component.
  let stop: (() => void) | undefined;
  onMounted(() => {
    stop = setLiveInterval(() => {
      now.value = Date.now();
    }, intervalMs);
  });
  closeOnDispose(() => stop?.());

  return readonly(now);
}
