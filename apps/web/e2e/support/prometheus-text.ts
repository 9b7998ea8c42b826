/** One sample of a Prometheus text exposition: its labels and value. */
export interface PrometheusSample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of the series `name` in `text` whose labels include `labels`. */
export function samplesOf(text: string, name: string, labels: Record<string, string> = {}): PrometheusSample[] {
  const found: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line);
    if (!match || match[1] !== name) continue;
    const sampleLabels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      sampleLabels[key as string] = (value as string).replace(/\\(.)/g, (_all, char: string) =>
        char === 'n' ? '\n' : char,
      );
    }
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) {
      found.push({ labels: sampleLabels, value: Number(match[3]) });
    }
  }
  return found;
}

/** The sum of the samples `samplesOf` finds (0 when there are none). */
export function sumOf(text: string, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(text, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}
