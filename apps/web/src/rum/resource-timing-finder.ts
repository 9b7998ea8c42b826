/**
 * Entries kept while no call has claimed them: calls that are never recorded (another
 * client, a call without a route) must not pile up.
 */
const KEPT_ENTRIES = 200;
/** `performance.now()` and Resource Timing are coarsened (to 0.1 ms or more): a start a little before the call's still counts. */
const CLOCK_SLACK_MS = 1;

/** One call's Resource Timing, looked for: its absolute URL, and when it started and ended (`performance.now()`). */
export interface CallWindow {
  url: string;
  startedAt: number;
  endedAt: number;
}

interface Waiter extends CallWindow {
  resolve: (entry: PerformanceResourceTiming | undefined) => void;
}

function fits(entry: PerformanceResourceTiming, call: CallWindow): boolean {
  return (
    entry.name === call.url && entry.startTime >= call.startedAt - CLOCK_SLACK_MS && entry.startTime <= call.endedAt
  );
}

/**
 * Joins a call the app made to the browser's Resource Timing entry of it. The browser
 * adds an entry when the response has ended, and a PerformanceObserver hears of it a
 * little later, often after the app has its answer; so `find` waits a short while. An
 * entry belongs to one call: two calls of the same URL get one entry each, matched by
 * start time.
 */
export class ResourceTimingFinder {
  readonly #isWanted: (entry: PerformanceResourceTiming) => boolean;
  readonly #entries: PerformanceResourceTiming[] = [];
  readonly #waiters = new Set<Waiter>();
  #observer: PerformanceObserver | undefined;

  /** `isWanted` picks the entries calls may claim (e.g. the API's origins); the rest are never kept. */
  constructor(isWanted: (entry: PerformanceResourceTiming) => boolean) {
    this.#isWanted = isWanted;
  }

  /** Listens to the browser's `resource` entries, those already buffered included. */
  start(): this {
    this.#observer ??= new PerformanceObserver((list) => this.add(list.getEntries() as PerformanceResourceTiming[]));
    this.#observer.observe({ type: 'resource', buffered: true });
    return this;
  }

  stop(): void {
    this.settle();
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  /**
   * Ends every wait now (the tab is being hidden or left, and a sample still waiting would
   * miss the last beacon): entries the browser has but has not yet delivered are taken
   * first, the calls still without one get `undefined`.
   */
  settle(): void {
    this.add((this.#observer?.takeRecords() ?? []) as PerformanceResourceTiming[]);
    for (const waiter of this.#waiters) waiter.resolve(undefined);
  }

  /** New entries: each goes to the call waiting for it, or is kept for a call still to ask. */
  add(entries: readonly PerformanceResourceTiming[]): void {
    for (const entry of entries) {
      if (!this.#isWanted(entry)) continue;
      // Of the calls waiting for this URL, the one that started last before the entry.
      let owner: Waiter | undefined;
      for (const waiter of this.#waiters) {
        if (fits(entry, waiter) && (!owner || waiter.startedAt > owner.startedAt)) owner = waiter;
      }
      if (owner) {
        owner.resolve(entry);
        continue;
      }
      this.#entries.push(entry);
      if (this.#entries.length > KEPT_ENTRIES) this.#entries.shift();
    }
  }

  /** The entry of `call`, waiting at most `waitMs` for it; `undefined` when none came. */
  find(call: CallWindow, waitMs: number): Promise<PerformanceResourceTiming | undefined> {
    const kept = this.#claim(call);
    if (kept) return Promise.resolve(kept);
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.resolve(undefined), waitMs);
      const waiter: Waiter = {
        ...call,
        resolve: (entry) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(entry);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Takes the earliest kept entry that fits `call`. */
  #claim(call: CallWindow): PerformanceResourceTiming | undefined {
    let best = -1;
    this.#entries.forEach((entry, index) => {
      if (
        fits(entry, call) &&
        (best < 0 || entry.startTime < (this.#entries[best] as PerformanceResourceTiming).startTime)
      ) {
        best = index;
      }
    });
    return best < 0 ? undefined : this.#entries.splice(best, 1)[0];
  }
}
