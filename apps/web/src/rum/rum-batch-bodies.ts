import { RUM_MAX_BATCH_BYTES, RUM_MAX_SAMPLES_PER_BATCH, RumBatch, type RumSample } from '@tandem/contract';

/** Says what was wrong with samples that were left out of a beacon (a bug in the SPA, never a person's doing). */
export type RumProblemReport = (message: string, detail: unknown) => void;

export interface BatchLimits {
  maxSamples: number;
  maxBytes: number;
}

const CONTRACT_LIMITS: BatchLimits = { maxSamples: RUM_MAX_SAMPLES_PER_BATCH, maxBytes: RUM_MAX_BATCH_BYTES };
const encoder = new TextEncoder();

/**
 * The samples of one batch the contract accepts. Each batch is checked with `RumBatch`
 * before it leaves, so a sample the SPA got wrong shows up in the console, not as a 400 of
 * the ingest route that would also lose the good samples sent with it.
 */
export function validSamples(app: string, samples: readonly RumSample[], report: RumProblemReport): RumSample[] {
  const checked = RumBatch.safeParse({ app, samples });
  if (checked.success) return checked.data.samples;
  const bad = new Set<number>();
  for (const issue of checked.error.issues) {
    const [part, index] = issue.path;
    // An issue with the batch itself (its `app`) spoils every sample.
    if (part !== 'samples' || typeof index !== 'number') {
      report('RUM: the batch does not match the contract; nothing sent', checked.error.issues);
      return [];
    }
    bad.add(index);
  }
  report(
    `RUM: ${bad.size} sample(s) do not match the contract and were left out`,
    checked.error.issues.map((issue) => ({ ...issue, sample: samples[issue.path[1] as number] })),
  );
  return samples.filter((_sample, index) => !bad.has(index));
}

/**
 * The JSON bodies (RumBatch) that carry `samples`: at most `maxSamples` samples and
 * `maxBytes` UTF-8 bytes each (a batch too big is halved until it fits), each checked
 * against the contract first.
 */
export function batchBodies(
  app: string,
  samples: readonly RumSample[],
  report: RumProblemReport,
  limits: BatchLimits = CONTRACT_LIMITS,
): string[] {
  const bodies: string[] = [];
  const addFitting = (part: RumSample[]): void => {
    const body = JSON.stringify({ app, samples: part });
    if (encoder.encode(body).byteLength <= limits.maxBytes) {
      bodies.push(body);
    } else if (part.length === 1) {
      report(`RUM: one sample is larger than ${limits.maxBytes} bytes; left out`, part[0]);
    } else {
      const half = Math.ceil(part.length / 2);
      addFitting(part.slice(0, half));
      addFitting(part.slice(half));
    }
  };
  for (let start = 0; start < samples.length; start += limits.maxSamples) {
    const valid = validSamples(app, samples.slice(start, start + limits.maxSamples), report);
    if (valid.length > 0) addFitting(valid);
  }
  return bodies;
}
