/** What a beacon needs from the browser: both are `window`'s own, given so a test can pass its own. */
export interface BeaconTransport {
  sendBeacon: ((url: string, data: Blob) => boolean) | undefined;
  fetch: typeof fetch;
}

/** text/plain is CORS-safelisted: the cross-origin beacon goes out without a preflight. */
const BEACON_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Posts one RumBatch body to the ingest URL with `navigator.sendBeacon`, which the browser
 * delivers even while the page unloads. When the browser will not queue it (over its
 * beacon quota, or no sendBeacon), `fetch` with `keepalive` takes it instead. Nothing is
 * awaited or retried: measurements are worth less than the page they measure.
 */
export function sendRumBeacon(url: string, body: string, transport: BeaconTransport = browserTransport()): void {
  const queued = transport.sendBeacon?.(url, new Blob([body], { type: BEACON_CONTENT_TYPE })) ?? false;
  if (queued) return;
  transport
    .fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': BEACON_CONTENT_TYPE },
      keepalive: true,
      credentials: 'omit',
    })
    // A lost batch is not the person's problem, and the page may be gone: nothing to tell anyone.
    .catch(() => undefined);
}

function browserTransport(): BeaconTransport {
  return {
    sendBeacon: typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
    fetch: globalThis.fetch.bind(globalThis),
  };
}
