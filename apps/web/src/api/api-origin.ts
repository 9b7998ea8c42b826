import { computed, ref } from 'vue';
import { config } from '../config';

const origin = ref(config.apiUrl);
/** Every origin this tab has been pointed at: calls made before a move still finish there. */
const origins = new Set([config.apiUrl]);

/**
 * The API origin every request of this tab goes to: the axios instance (src/api/client.ts
 * follows it), the EventSource, the WebSocket and the RUM beacons. `config.apiUrl` until
 * `setApiOrigin` moves it; reactive, so a move sends the next calls, and reopens the live
 * streams, on the new origin.
 */
export const apiOrigin = computed(() => origin.value);

/**
 * Points this tab at another origin of the same API (another listener, a region, a
 * maintenance host). Calls in flight finish where they started.
 */
export function setApiOrigin(next: string): void {
  const trimmed = next.replace(/\/+$/, '');
  origins.add(trimmed);
  origin.value = trimmed;
}

/** Whether `url` is on an origin this tab sends (or has sent) API calls to: for Resource Timing entries. */
export function isApiUrl(url: string): boolean {
  for (const known of origins) if (url.startsWith(`${known}/`)) return true;
  return false;
}
