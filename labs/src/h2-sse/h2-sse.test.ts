import { describe, expect, it } from 'vitest';
import { labWorkDir } from '../lib/lab-work-dir.js';
import { createProgress } from '../lib/progress.js';
import type { ProbeResult } from './browser-probe.js';
import { callLatency, h2SseLab } from './measure.js';

describe('lab h2-sse (smoke)', () => {
  it('over HTTP/2 the API answers with 8 streams open; over HTTP/1.1 it cannot', async () => {
    const report = await h2SseLab.run({ smoke: true, progress: createProgress('h2-sse'), workDir: labWorkDir() });
    const raw = report.raw as Record<'naive' | 'tuned', ProbeResult[]>;
    const naiveBusy = raw.naive.at(-1) as ProbeResult;
    const tunedBusy = raw.tuned.at(-1) as ProbeResult;
    expect(naiveBusy.streams).toBe(8);

    // The mechanism, not a timing: HTTP/1.1 caps the tab at 6 connections to the origin.
    expect(tunedBusy.connected).toBe(8);
    expect(naiveBusy.connected).toBeLessThanOrEqual(6);
    expect(tunedBusy.protocol).toBe('h2');

    // Wide margin: every tuned call answers well before the stall cut-off; naive ones stall.
    const tunedLatency = callLatency(tunedBusy);
    expect(tunedLatency).not.toBeNull();
    expect(tunedLatency as number).toBeLessThan(1_000);
    expect(callLatency(naiveBusy)).toBeNull();
  });
});
