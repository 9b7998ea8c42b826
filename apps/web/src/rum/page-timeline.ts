import { RUM_PAGES, type RumPage } from '@tandem/contract';
import type { Router } from 'vue-router';

/** Enough page changes to place any sample of a tab's life that is still waiting to be sent. */
const KEPT_VISITS = 100;

interface Visit {
  /** `performance.now()` when the page came on screen. */
  since: number;
  /** `undefined` while a route RUM does not name is on screen (samples taken then are skipped). */
  page: RumPage | undefined;
}

/** The RUM page of a vue-router route name: one of the contract's RUM_PAGES, or `undefined`. */
export function rumPageOf(routeName: unknown): RumPage | undefined {
  return (RUM_PAGES as readonly unknown[]).includes(routeName) ? (routeName as RumPage) : undefined;
}

/**
 * Which of the SPA's pages was on screen when. Web vitals are reported late (LCP after
 * the first input, CLS and INP when the tab is hidden), often after the person has moved
 * on, so a vital is placed on the page its entries happened on, not on the page on screen
 * when the report fires.
 */
export class PageTimeline {
  readonly #visits: Visit[] = [];

  /** `page` came on screen at `since` (the `performance.now()` clock). */
  enter(page: RumPage | undefined, since: number): void {
    this.#visits.push({ page, since });
    if (this.#visits.length > KEPT_VISITS) this.#visits.shift();
  }

  /** The page on screen now. */
  get current(): RumPage | undefined {
    return this.#visits.at(-1)?.page;
  }

  /** The page on screen at `time`; before the first visit, the first page (the one the tab was opened on). */
  at(time: number): RumPage | undefined {
    for (let index = this.#visits.length - 1; index >= 0; index -= 1) {
      const visit = this.#visits[index] as Visit;
      if (visit.since <= time) return visit.page;
    }
    return this.#visits[0]?.page;
  }
}

/**
 * Keeps `timeline` in step with `router`: from time 0 the page of the URL the tab was
 * opened on, then each finished navigation. Returns the function that stops following.
 */
export function followRouter(
  timeline: PageTimeline,
  router: Router,
  landingPath: string,
  now: () => number = () => performance.now(),
): () => void {
  timeline.enter(rumPageOf(router.resolve(landingPath).name), 0);
  return router.afterEach((to, _from, failure) => {
    if (!failure) timeline.enter(rumPageOf(to.name), now());
  });
}
