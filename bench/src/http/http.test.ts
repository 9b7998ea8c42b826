import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { h2RequestOnce, repoRoot } from '@tandem/local-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWellFormed, figuresOf, runQuick } from '../quick-run.js';
import { ensureDevCertificate, startBareServer, startPlainFastifyServer } from './bench-servers.js';
import { replayableHeaders } from './orders-list.js';
import { parseServerTiming } from './server-timing-sampler.js';

describe('Server-Timing reader', () => {
  it('reads app and db durations from Server-Timing', () => {
    expect(parseServerTiming('app;dur=3.2, db;dur=1.1')).toEqual({ appMs: 3.2, dbMs: 1.1 });
    expect(parseServerTiming('db;dur=0.0, app;dur=12')).toEqual({ appMs: 12, dbMs: 0 });
    expect(parseServerTiming('app;dur=3.2')).toBeUndefined();
    expect(parseServerTiming(undefined)).toBeUndefined();
  });
});

describe('reference servers (real processes on free ports)', () => {
  const workDir = join(repoRoot, '.data', 'bench', 'reference-servers-test');
  const page = { workDir, body: Buffer.from('{"data":[]}'), contentType: 'application/json; charset=utf-8' };
  beforeAll(async () => {
    mkdirSync(workDir, { recursive: true });
    await ensureDevCertificate(workDir);
  });

  it('keeps the headers a reference can replay: no pseudo-headers, date, content type or length', () => {
    expect(
      replayableHeaders({
        ':status': 200,
        date: 'Tue, 24 Nov 2026 10:00:00 GMT',
        'content-type': 'application/json',
        'content-length': '11',
        'x-request-id': 'abc',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'x-request-id': 'abc', 'set-cookie': 'a=1, b=2' });
  });

  it('the bare server sends the extra headers it is given, beside the bytes', async () => {
    const server = await startBareServer({
      ...page,
      name: 'bare-with-headers-test',
      headers: { 'x-request-id': 'replayed-id', 'server-timing': 'app;dur=1.5' },
    });
    try {
      const answer = await h2RequestOnce(server.origin, { path: '/api/v1/orders?limit=20' });
      expect(answer.status).toBe(200);
      expect(answer.headers['x-request-id']).toBe('replayed-id');
      expect(answer.headers['server-timing']).toBe('app;dur=1.5');
      expect(answer.headers['content-type']).toBe(page.contentType);
      expect(answer.body.toString()).toBe('{"data":[]}');
    } finally {
      await server.stop();
    }
  });

  it('the plain Fastify server answers the orders path with the bytes, and nothing else', async () => {
    const server = await startPlainFastifyServer({ ...page, name: 'fastify-test' });
    try {
      const answer = await h2RequestOnce(server.origin, { path: '/api/v1/orders?limit=20' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(page.contentType);
      expect(answer.headers['x-request-id']).toBeUndefined();
      expect(answer.body.toString()).toBe('{"data":[]}');
      expect((await h2RequestOnce(server.origin, { path: '/api/v1/orders/1' })).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});

describe('pnpm bench … --quick (real servers, real h2load; figures are not checked against targets)', () => {
  it('orders-list: Tandem with the labs off and on, the bare server and the two references, positive finite figures', async () => {
    const { report, stdout } = await runQuick('orders-list');
    expectWellFormed(report, 'orders-list', 13);
    const LABS_OFF = 'Tandem, labs off (the product)';
    const LABS_ON = 'Tandem, labs on (LABS_ENABLED=true, all tuned)';
    const FASTIFY = 'Fastify 5, one route, no plugins';
    expect(report.table.rows.map((row) => [row[0], row[1]])).toEqual([
      ['HTTP/2 50×10', 'bare node:http2'],
      ['HTTP/2 50×10', expect.stringMatching(/^bare node:http2 \+ Tandem's \d+ response headers$/)],
      ['HTTP/2 50×10', FASTIFY],
      ['HTTP/2 50×10', LABS_OFF],
      ['HTTP/2 50×10', LABS_ON],
      ...['HTTP/2 50×1', 'HTTP/1.1 50×1'].flatMap((shape) => [
        [shape, 'bare node:http2'],
        [shape, FASTIFY],
        [shape, LABS_OFF],
        [shape, LABS_ON],
      ]),
    ]);
    // Tandem sends headers of its own (CORS, request id …): the reference replays at least one.
    expect(Number(/(\d+) response headers/.exec(String(report.table.rows[1]?.[1]))?.[1])).toBeGreaterThan(0);
    const targets: Record<string, Record<string, string>> = {
      [LABS_OFF]: {
        'HTTP/2 50×10': '≥ 0.7× Fastify',
        'HTTP/2 50×1': 'p99 < 50 ms',
        'HTTP/1.1 50×1': '≥ 0.7× Fastify, p99 < 50 ms',
      },
      [LABS_ON]: {
        'HTTP/2 50×10': '≥ 0.6× Fastify',
        'HTTP/2 50×1': 'p99 < 50 ms',
        'HTTP/1.1 50×1': '≥ 0.6× Fastify, p99 < 50 ms',
      },
    };
    for (const row of report.table.rows) {
      for (const cell of row.slice(2, 7)) {
        const figures = figuresOf(cell);
        expect(figures.length).toBeGreaterThan(0);
        for (const figure of figures) {
          expect(Number.isFinite(figure)).toBe(true);
          expect(figure).toBeGreaterThan(0);
        }
      }
      expect(row[7]).toBe(targets[String(row[1])]?.[String(row[0])] ?? 'reference');
    }
    // Every server answered the route's own bytes: every answer of all five was a 2xx.
    expect(report.verdicts.find((verdict) => verdict.target.startsWith('every answer 2xx'))?.met).toBe(true);
    expect(report.verdicts.map((verdict) => verdict.target.split(' ≥ ')[0]?.split(' p99')[0])).toEqual([
      'Tandem (labs off)',
      'Tandem (labs on)',
      'Tandem (labs off)',
      'Tandem (labs on)',
      'Tandem (labs off)',
      'Tandem (labs off)',
      'every answer 2xx (no refusals, no errors)',
    ]);
    expect(stdout).toContain('÷ Fastify');
  });

  it('chain-cost: the whole chain, each part switched off through its seam, and the references', async () => {
    const { report, stdout } = await runQuick('chain-cost');
    const parts = report.table.rows.map((row) => String(row[0]));
    expect(parts[0]).toMatch(/^Tandem's whole chain/);
    for (const part of [
      'CORS',
      'request id',
      'rate limiter',
      'HTTP metrics',
      'security headers',
      'deadline',
      'Server-Timing',
      'load shedding',
      'logging',
    ]) {
      expect(parts.some((name) => name.startsWith(part))).toBe(true);
    }
    expect(parts.some((name) => name.startsWith('envelope + serializer'))).toBe(true);
    expect(parts.some((name) => /^response headers \(Tandem's \d+/.test(name))).toBe(true);
    expect(parts.at(-1)).toBe('Fastify 5, one route, the same bytes');
    expectWellFormed(report, 'chain-cost', parts.length);
    for (const row of report.table.rows) {
      // Every server's CPU per request and rate; a cost may be negative (what a cache saves) or noise.
      expect(Number(row[2])).toBeGreaterThan(0);
      expect(Number(row[4])).toBeGreaterThan(0);
      if (row[3] !== '—') expect(Number.isFinite(Number(row[3]))).toBe(true);
    }
    // Every switch was checked on a captured answer, and every answer was a 2xx.
    expect(report.verdicts.every((verdict) => verdict.met)).toBe(true);
    expect(stdout).toContain('command:     pnpm bench chain-cost --quick');
  });

  it('overload: on a page at hand and a dear one, capacity, then 3× capacity with load shedding on and off', async () => {
    const { report, stdout } = await runQuick('overload');
    expectWellFormed(report, 'overload', 6);
    expect(report.table.rows.map((row) => [row[0], row[2]])).toEqual(
      ['at hand', 'dear'].flatMap((page) => [
        [page, 'shedding off'],
        [page, 'shedding on (product thresholds)'],
        [page, 'shedding off'],
      ]),
    );
    for (const row of report.table.rows) {
      // Sent and admitted per second, and the admitted latency: positive and finite on every side.
      for (const cell of [row[4], row[5], row[6]]) {
        for (const figure of figuresOf(cell ?? '')) expect(Number.isFinite(figure) && figure > 0).toBe(true);
      }
      expect(String(row[7])).toMatch(/^\d+(\.\d)?%$/);
      expect(String(row[8])).toMatch(/^\d+(\.\d)?%$/);
      expect(String(row[9])).toMatch(/^\d+(\.\d+)? ms$/);
    }
    // Quick runs are too short for a verdict on latency; with shedding on, what was answered must still be a 2xx or a 503.
    const everyAnswer = report.verdicts.filter((verdict) => verdict.target.includes('every answer'));
    expect(everyAnswer).toHaveLength(2);
    for (const verdict of everyAnswer) expect(verdict.met).toBe(true);
    expect(stdout).toContain('command:     pnpm bench overload --quick');
  });

  it('metrics-overhead: metrics off vs on with RUM beacons accepted', async () => {
    const { report } = await runQuick('metrics-overhead');
    expectWellFormed(report, 'metrics-overhead', 2);
    const [off, on] = report.table.rows;
    for (const cell of [off?.[1], off?.[2], on?.[1], on?.[2], on?.[3], on?.[4]]) {
      for (const figure of figuresOf(cell ?? '')) expect(Number.isFinite(figure) && figure > 0).toBe(true);
    }
    expect(report.verdicts.find((verdict) => verdict.target.startsWith('every beacon accepted'))?.met).toBe(true);
    expect(report.verdicts.find((verdict) => verdict.target.startsWith('every list answer 2xx'))?.met).toBe(true);
  });

  it('orders-pg: list, get-by-id and create against PostgreSQL, with the database share', async () => {
    const { report } = await runQuick('orders-pg');
    expectWellFormed(report, 'orders-pg', 3);
    expect(report.table.rows.map((row) => row[0])).toEqual(['GET list', 'GET get-by-id', 'POST create']);
    for (const row of report.table.rows) {
      for (const cell of row.slice(1)) {
        for (const figure of figuresOf(cell)) expect(Number.isFinite(figure)).toBe(true);
      }
      expect(Number(row[1])).toBeGreaterThan(0);
      // The share is a percentage of app time the database took: within 0–100, and some on every path.
      const share = Number(/^(\d+)%/.exec(String(row[3]))?.[1]);
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(100);
      expect(Number(row[4])).toBeGreaterThan(0);
    }
    expect(report.verdicts.every((verdict) => verdict.met)).toBe(true);
  });
});
