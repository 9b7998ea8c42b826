/**
 * Runs inside Chromium, on a page of the origin under test. Opens `streams` EventSources
 * on /api/v1/events, waits for them to connect (or not: over HTTP/1.1 the browser holds
 * at most 6 connections per origin), counts the events they deliver for a while, then
 * times `calls` API fetches made while the streams stay open; a fetch still pending after
 * `stallMs` is recorded as stalled (null), and ends the series.
 *
 * Kept as plain JavaScript text: Playwright ships it to the page as is, with nothing the
 * TypeScript toolchain might add.
 */
export const BROWSER_PROBE = `async ({ streams, calls, stallMs, eventsWindowMs, connectWaitMs }) => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const sources = [];
  const firstEventMs = [];
  let events = 0;
  for (let i = 0; i < streams; i++) {
    const opened = performance.now();
    const source = new EventSource('/api/v1/events');
    let first = true;
    source.addEventListener('generator.tick', () => {
      events++;
      if (first) { first = false; firstEventMs.push(performance.now() - opened); }
    });
    sources.push(source);
  }
  const connectDeadline = performance.now() + connectWaitMs;
  while (performance.now() < connectDeadline && sources.some((s) => s.readyState !== 1)) await sleep(20);
  const connected = sources.filter((s) => s.readyState === 1).length;

  const before = events;
  await sleep(eventsWindowMs);
  const eventsPerSecond = ((events - before) * 1000) / eventsWindowMs;

  // One untimed call first: the timed ones then measure waiting, not a cold code path.
  await Promise.race([fetch('/api/v1/orders?limit=1', { cache: 'no-store' }).then((r) => r.json()).catch(() => null), sleep(stallMs)]);
  const latencies = [];
  let protocol = null;
  for (let i = 0; i < calls; i++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), stallMs);
    const started = performance.now();
    try {
      const response = await fetch('/api/v1/orders?limit=1', { signal: controller.signal, cache: 'no-store' });
      await response.json();
      latencies.push(performance.now() - started);
      const entry = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/orders')).at(-1);
      protocol = entry ? entry.nextHopProtocol : protocol;
    } catch {
      // Stalled: the next call would queue behind the same streams; one is enough.
      latencies.push(null);
      clearTimeout(timer);
      break;
    }
    clearTimeout(timer);
  }
  for (const source of sources) source.close();
  return { streams, connected, eventsPerSecond, firstEventMs, latencies, protocol };
}`;

export interface ProbeResult {
  streams: number;
  connected: number;
  eventsPerSecond: number;
  firstEventMs: number[];
  /** null: still pending after stallMs. */
  latencies: (number | null)[];
  protocol: string | null;
}
