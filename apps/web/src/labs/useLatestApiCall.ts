import { onScopeDispose, readonly, shallowRef } from 'vue';
import { isApiUrl } from '../api/api-origin';

export interface ApiCallTiming {
  url: string;
  /** ALPN protocol of the connection: `h2`, `http/1.1`; empty when the API sends no Timing-Allow-Origin. */
  nextHopProtocol: string;
  durationMs: number;
}

function isApiCall(entry: PerformanceResourceTiming): boolean {
  return (entry.initiatorType === 'xmlhttprequest' || entry.initiatorType === 'fetch') && isApiUrl(entry.name);
}

function timingOf(entry: PerformanceResourceTiming): ApiCallTiming {
  return { url: entry.name, nextHopProtocol: entry.nextHopProtocol, durationMs: Math.round(entry.duration) };
}

/**
 * The latest finished API call of this tab as Resource Timing saw it, live: which
 * protocol it travelled over and how long it took. (The observer is not one of the
 * live resources the leaks lab counts: it always stops with the component.)
 */
export function useLatestApiCall() {
  const latest = shallowRef<ApiCallTiming | null>(null);
  const earlier = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const last = earlier.filter(isApiCall).at(-1);
  if (last) latest.value = timingOf(last);

  const observer = new PerformanceObserver((list) => {
    const entry = (list.getEntries() as PerformanceResourceTiming[]).filter(isApiCall).at(-1);
    if (entry) latest.value = timingOf(entry);
  });
  observer.observe({ type: 'resource', buffered: false });
  onScopeDispose(() => observer.disconnect());

  return readonly(latest);
}
