import { coreEndpoints, type RumSample } from '@tandem/contract';
import type { AxiosInstance } from 'axios';
import type { Router } from 'vue-router';
import { version } from '../../package.json';
import { apiOrigin, isApiUrl } from '../api/api-origin';
import { recordApiCalls } from './api-call-recorder';
import { followRouter, PageTimeline } from './page-timeline';
import { ResourceTimingFinder } from './resource-timing-finder';
import { sendRumBeacon } from './rum-beacon';
import { RumQueue } from './rum-queue';
import { observeWebVitals, webVitalSample } from './web-vital-samples';

/** The build that sends the batches (RumBatch `app`: read in logs, never a label). */
const RUM_APP = `@tandem/web@${version}`;

/** The Resource Timing entries an API call can be: XHR (axios) or fetch, to an origin the tab calls the API on. */
function isApiRequest(entry: PerformanceResourceTiming): boolean {
  return (entry.initiatorType === 'xmlhttprequest' || entry.initiatorType === 'fetch') && isApiUrl(entry.name);
}

/**
 * Real-user monitoring of this tab: web vitals and every contract call of `client`,
 * each placed on its RUM page, queued and beaconed in batches to the API's ingest route
 * (`POST /api/v1/rum`, on the origin the tab uses now), and sent at once when the tab is
 * hidden or left. The beacons themselves go around `client`, so they are never measured.
 */
export function startRum(router: Router, client: AxiosInstance): void {
  const timeline = new PageTimeline();
  followRouter(timeline, router, `${location.pathname}${location.search}${location.hash}`);

  const queue = new RumQueue({
    app: RUM_APP,
    send: (body) => sendRumBeacon(`${apiOrigin.value}${coreEndpoints.ingestRum.path}`, body),
    report: (message, detail) => console.error(message, detail),
  });
  let leaving = false;
  let flushQueued = false;
  const add = (sample: RumSample) => {
    queue.add(sample);
    // LCP, CLS and INP are reported as the tab hides, possibly after this tab's own flush:
    // they leave at once, together (one microtask, still within the event's dispatch).
    if ((leaving || document.visibilityState === 'hidden') && !flushQueued) {
      flushQueued = true;
      queueMicrotask(() => {
        flushQueued = false;
        queue.flush();
      });
    }
  };

  const finder = new ResourceTimingFinder(isApiRequest).start();
  recordApiCalls(client, { currentPage: () => timeline.current, finder, record: add });
  observeWebVitals((report) => {
    const sample = webVitalSample(report, (time) => timeline.at(time));
    if (sample) add(sample);
  });

  const sendAll = () => {
    // The calls still waiting for their Resource Timing are added (in microtasks) before
    // the next of these events, or flush themselves if the tab is hidden by then.
    finder.settle();
    queue.flush();
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') sendAll();
  });
  addEventListener('pagehide', () => {
    leaving = true;
    sendAll();
  });
  // Back from the back/forward cache: the tab lives on.
  addEventListener('pageshow', () => {
    leaving = false;
  });
}
