import { RUM_MAX_SAMPLES_PER_BATCH, type RumSample } from '@tandem/contract';
import { type BatchLimits, batchBodies, type RumProblemReport } from './rum-batch-bodies';

/** How long a sample may wait for others before its batch is sent anyway. */
export const RUM_FLUSH_EVERY_MS = 10_000;

export interface RumQueueOptions {
  /** The SPA build sending (RumBatch `app`). */
  app: string;
  /** Sends one RumBatch JSON body (see rum-beacon.ts). */
  send: (body: string) => void;
  report: RumProblemReport;
  flushEveryMs?: number;
  limits?: BatchLimits;
}

/**
 * Samples waiting to be sent. A batch leaves when it is full, when its first sample has
 * waited `flushEveryMs`, or when `flush()` is called (the tab is hidden or left); a tab
 * that measures nothing keeps no timer.
 */
export class RumQueue {
  readonly #options: RumQueueOptions;
  #samples: RumSample[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RumQueueOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#samples.length;
  }

  add(sample: RumSample): void {
    this.#samples.push(sample);
    if (this.#samples.length >= (this.#options.limits?.maxSamples ?? RUM_MAX_SAMPLES_PER_BATCH)) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#options.flushEveryMs ?? RUM_FLUSH_EVERY_MS);
  }

  /** Sends every waiting sample now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#samples.length === 0) return;
    const samples = this.#samples;
    this.#samples = [];
    const { app, report, limits, send } = this.#options;
    for (const body of batchBodies(app, samples, report, limits)) send(body);
  }
}
