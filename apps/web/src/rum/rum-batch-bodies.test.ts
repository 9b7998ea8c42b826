import {
  type ApiCallSample,
  RUM_MAX_BATCH_BYTES,
  RUM_MAX_SAMPLES_PER_BATCH,
  RumBatch,
  type RumSample,
} from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { batchBodies, validSamples } from './rum-batch-bodies';

const APP = '@tandem/web@test';

function apiCall(index: number, requestId = `req-${index}`): ApiCallSample {
  return {
    type: 'api-call',
    route: '/api/v1/orders/:id',
    method: 'GET',
    status: 200,
    requestId,
    protocol: 'h2',
    page: 'order',
    durationMs: 12.5,
    phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, requestMs: 10, responseMs: 2.5 },
    server: { appMs: 8, dbMs: 3 },
    attempt: 1,
  };
}

const vital: RumSample = { type: 'web-vital', name: 'LCP', value: 812.4, rating: 'good', page: 'orders' };

function problems() {
  const seen: string[] = [];
  return { seen, report: (message: string) => void seen.push(message) };
}

function parsed(body: string) {
  return RumBatch.parse(JSON.parse(body));
}

describe('batchBodies', () => {
  it('sends a small batch as one body the contract accepts', () => {
    const { seen, report } = problems();
    const bodies = batchBodies(APP, [vital, apiCall(1)], report);
    expect(bodies).toHaveLength(1);
    expect(parsed(bodies[0] as string)).toEqual({ app: APP, samples: [vital, apiCall(1)] });
    expect(seen).toEqual([]);
  });

  it(`never puts more than ${RUM_MAX_SAMPLES_PER_BATCH} samples in one body`, () => {
    const samples = Array.from({ length: RUM_MAX_SAMPLES_PER_BATCH * 2 + 1 }, (_, index) => apiCall(index));
    const bodies = batchBodies(APP, samples, problems().report);
    expect(bodies.map((body) => parsed(body).samples.length)).toEqual([
      RUM_MAX_SAMPLES_PER_BATCH,
      RUM_MAX_SAMPLES_PER_BATCH,
      1,
    ]);
    expect(bodies.flatMap((body) => parsed(body).samples)).toEqual(samples);
  });

  it(`splits a batch over ${RUM_MAX_BATCH_BYTES} bytes into bodies that fit, keeping every sample in order`, () => {
    // Request ids of 128 characters: 50 samples of ~480 bytes make ~24 KB; a 4 KB limit forces splits.
    const samples = Array.from({ length: 50 }, (_, index) => apiCall(index, `${index}-`.padEnd(128, 'x')));
    const limits = { maxSamples: RUM_MAX_SAMPLES_PER_BATCH, maxBytes: 4_096 };
    const bodies = batchBodies(APP, samples, problems().report, limits);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(new TextEncoder().encode(body).byteLength).toBeLessThanOrEqual(4_096);
    expect(bodies.flatMap((body) => parsed(body).samples)).toEqual(samples);
  });

  it('fits a full batch of the largest samples the contract allows in one body (the split is a safety net)', () => {
    const largest = (index: number): RumSample => ({
      ...apiCall(index, `${index}-`.padEnd(128, 'x')),
      route: '/api/v1/admin/event-generator',
      method: 'DELETE',
      protocol: 'http/1.1',
      page: 'order-new',
      durationMs: 119_999.9,
      phases: { dnsMs: 119_999.9, connectMs: 119_999.9, tlsMs: 119_999.9, requestMs: 119_999.9, responseMs: 119_999.9 },
      server: { appMs: 119_999.9, dbMs: 119_999.9 },
      attempt: 10,
    });
    const samples = Array.from({ length: RUM_MAX_SAMPLES_PER_BATCH }, (_, index) => largest(index));
    const bodies = batchBodies(APP, samples, problems().report);
    expect(bodies).toHaveLength(1);
    expect(new TextEncoder().encode(bodies[0]).byteLength).toBeLessThanOrEqual(RUM_MAX_BATCH_BYTES);
  });

  it('leaves out a sample too large for any body, and says so', () => {
    const { seen, report } = problems();
    const bodies = batchBodies(APP, [vital, apiCall(1)], report, { maxSamples: 50, maxBytes: 200 });
    expect(bodies.map((body) => parsed(body).samples)).toEqual([[vital]]);
    expect(seen).toEqual(['RUM: one sample is larger than 200 bytes; left out']);
  });
});

describe('validSamples', () => {
  it('leaves out the samples the contract refuses, says which, and keeps the rest', () => {
    const { seen, report } = problems();
    const wrongRoute = { ...apiCall(2), route: '/api/v1/orders/6d1f' } as unknown as RumSample;
    const wrongPage = { ...vital, page: 'settings' } as unknown as RumSample;
    expect(validSamples(APP, [apiCall(1), wrongRoute, vital, wrongPage], report)).toEqual([apiCall(1), vital]);
    expect(seen).toEqual(['RUM: 2 sample(s) do not match the contract and were left out']);
  });

  it('sends nothing when the batch itself is wrong', () => {
    const { seen, report } = problems();
    expect(validSamples('', [vital], report)).toEqual([]);
    expect(seen).toEqual(['RUM: the batch does not match the contract; nothing sent']);
  });

  it('never makes a body of refused samples only', () => {
    const wrong = { ...vital, name: 'FID' } as unknown as RumSample;
    expect(batchBodies(APP, [wrong], problems().report)).toEqual([]);
  });
});
