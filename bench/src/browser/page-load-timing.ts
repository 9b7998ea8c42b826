import type { Page } from 'playwright-core';

/** One cold load of a page, in ms from the navigation's start (the page's time origin). */
export interface PageLoadTiming {
  /** Largest Contentful Paint: the last candidate the browser reported. */
  lcpMs: number;
  /** What that candidate was: `tag.class "its text…"`. */
  lcpElement: string;
  fcpMs: number;
  /** The document's TLS handshake (secureConnectionStart → connectEnd); 0 on a reused connection. */
  documentTlsMs: number;
  /** The document's last byte (responseEnd). */
  documentMs: number;
  /** The last byte of the last script index.html loads or preloads. */
  scriptsMs: number;
  /** The first call to the API origin: its path, start (fetchStart) and last byte (responseEnd). */
  firstApiCall: { path: string; startMs: number; endMs: number };
  /** The last byte of the first orders list call (`/api/vN/orders`). */
  ordersListMs: number;
}

/**
 * Reads, from the page's own Navigation, Resource and Paint Timing, what its load took.
 * Call it once the view being measured has rendered: the LCP read is the last candidate
 * reported by then, after two more frames.
 */
export async function readPageLoadTiming(
  page: Page,
  options: { apiOrigin: string; initialScripts: readonly string[] },
): Promise<PageLoadTiming> {
  return page.evaluate(async ({ apiOrigin, initialScripts }) => {
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const lcp = await new Promise<LargestContentfulPaint | undefined>((resolve) => {
      const observer = new PerformanceObserver((list) => {
        observer.disconnect();
        resolve(list.getEntries().at(-1) as LargestContentfulPaint | undefined);
      });
      observer.observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => resolve(undefined), 1_000);
    });
    if (!lcp) throw new Error('the browser reported no Largest Contentful Paint');
    const element = lcp.element;
    const lcpElement = element
      ? `${element.tagName.toLowerCase()}${element.classList[0] ? `.${element.classList[0]}` : ''} "${(element.textContent ?? '').trim().slice(0, 30)}"`
      : '(removed from the page)';

    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    if (!navigation) throw new Error('no Navigation Timing entry');
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    if (!fcp) throw new Error('no First Contentful Paint');
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const scripts = resources.filter((entry) => initialScripts.includes(new URL(entry.name).pathname));
    if (scripts.length !== initialScripts.length) {
      throw new Error(`found ${scripts.length} of the ${initialScripts.length} initial scripts in Resource Timing`);
    }
    const apiCalls = resources
      .filter((entry) => entry.name.startsWith(`${apiOrigin}/`))
      .sort((a, b) => a.startTime - b.startTime);
    const first = apiCalls[0];
    if (!first) throw new Error(`no call to ${apiOrigin}`);
    const ordersList = apiCalls.find((entry) => /^\/api\/v\d+\/orders$/.test(new URL(entry.name).pathname));
    if (!ordersList) throw new Error('no orders list call');
    return {
      lcpMs: lcp.startTime,
      lcpElement,
      fcpMs: fcp.startTime,
      documentTlsMs:
        navigation.secureConnectionStart > 0 ? navigation.connectEnd - navigation.secureConnectionStart : 0,
      documentMs: navigation.responseEnd,
      scriptsMs: Math.max(...scripts.map((entry) => entry.responseEnd)),
      firstApiCall: { path: new URL(first.name).pathname, startMs: first.startTime, endMs: first.responseEnd },
      ordersListMs: ordersList.responseEnd,
    };
  }, options);
}

/** The scripts an HTML document loads or modulepreloads (paths, as written in it). */
export function initialScriptsOf(html: string): string[] {
  const tags = html.match(/<(?:script|link)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => {
    const isScript = tag.startsWith('<script') && /\bsrc="([^"]+)"/.test(tag);
    const isPreload = /\brel="modulepreload"/.test(tag);
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    return (isScript || isPreload) && url ? [url] : [];
  });
}
