import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseH2loadOutput, readLatencyLog } from './h2load.js';

describe("h2load's readers", () => {
  it("reads h2load's summary, every time unit included", () => {
    const output = [
      'finished in 5.00s, 12345.60 req/s, 65.12MB/s',
      'requests: 61728 total, 61728 started, 61728 done, 61700 succeeded, 28 failed, 3 errored, 1 timeout',
      'status codes: 61700 2xx, 1 3xx, 20 4xx, 4 5xx',
      '                     min         max         mean         sd        +/- sd',
      'time for request:      451us      1.20s      3.86ms      1.23ms    73.45%',
    ].join('\n');
    expect(parseH2loadOutput(output)).toEqual({
      requestsPerSecond: 12345.6,
      succeeded: 61700,
      statusClasses: { '2xx': 61700, '3xx': 1, '4xx': 20, '5xx': 4 },
      status2xx: 61700,
      notOk: 1 + 20 + 4 + 3 + 1,
      maxMs: 1200,
      meanMs: 3.86,
    });
    expect(() => parseH2loadOutput('h2load: connection refused')).toThrow(/unexpected output/);
  });

  it('reads the per-request log: answered lines only, durations in ms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-h2load-test-'));
    try {
      const file = join(dir, 'h2load.log');
      // start (µs), status, duration (µs); status -1 is a request that got no answer.
      const lines = [1, 2, 3, 4].map((ms) => `1700000000000000\t200\t${ms * 1000}`);
      writeFileSync(file, [...lines, '1700000000000000\t-1\t9000000', ''].join('\n'));
      expect(readLatencyLog(file)).toEqual({ p50Ms: 2, p99Ms: 4, logged: 4 });
      expect(() => readLatencyLog(join(dir, 'missing.log'))).toThrow(/wrote no log/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
