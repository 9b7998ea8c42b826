import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { h2RequestOnce, repoRoot } from '@tandem/local-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWellFormed, figuresOf, runQuick } from '../quick-run.js';
import {
  type BenchServer,
  ensureDevCertificate,
  startBareServer,
  startFixedPageApi,
  startPlainFastifyServer,
} from './bench-servers.js';
import { countCollections } from './gc-trace.js';
import { replayableHeaders } from './orders-list.js';
import { parseServerTiming } from './server-timing-sampler.js';
import { youngGenerationFlags } from './young-generation.js';

/** The command lines of a server's live processes (its process group, from /proc). */
function commandLinesOf(server: BenchServer): string[][] {
  const lines: string[][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== server.processGroup) continue;
      lines.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean));
    } catch {
      // gone since the listing
    }
  }
  return lines;
}

describe('V8 garbage-collection trace reader', () => {
  it('counts scavenges and full collections, and nothing else', () => {
    const trace = [
      '[4242:0x5e1c3a0]      812 ms: Scavenge 5.2 (6.0) -> 4.1 (7.0) MB, 0.45 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
      '{"level":40,"msg":"Scavenge is a word a log line may hold"}',
      '[4242:0x5e1c3a0]      900 ms: Scavenge 5.9 (7.0) -> 4.3 (7.0) MB, 0.31 / 0.00 ms  (average mu = 1.000, current mu = 1.000) task; ',
      '[4242:0x5e1c3a0]     1300 ms: Mark-Compact 9.1 (12.0) -> 7.2 (12.5) MB, 5.37 / 0.00 ms  (average mu = 0.990, current mu = 0.990) allocation failure; ',
    ].join('\n');
    expect(countCollections(trace)).toEqual({ scavenges: 2, markCompacts: 1 });
    expect(countCollections('')).toEqual({ scavenges: 0, markCompacts: 0 });
  });

  it('fixes the semi-spaces at a size, or leaves V8 its own sizing for 0', () => {
    expect(youngGenerationFlags(16)).toEqual(['--min-semi-space-size=16', '--max-semi-space-size=16']);
    expect(youngGenerationFlags(0)).toEqual([]);
  });
});

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

  it("every kind of bench server's node process gets the flags it is started with, and traces its collections", async () => {
    const nodeFlags = youngGenerationFlags(16);
    const servers: BenchServer[] = [];
    try {
      servers.push(await startBareServer({ ...page, name: 'bare-flags-test', nodeFlags }));
      servers.push(await startPlainFastifyServer({ ...page, name: 'fastify-flags-test', nodeFlags }));
      servers.push(await startFixedPageApi({ name: 'api-flags-test', workDir, nodeFlags }));
      for (const server of servers) {
        // One node process in the group (`node --import tsx`, no tsx CLI in front): the server,
        // with the flags. (tsx may have started esbuild's service beside it, to compile a file.)
        const nodeProcesses = commandLinesOf(server).filter((args) => args[0] === process.execPath);
        expect(nodeProcesses, server.name).toHaveLength(1);
        expect(nodeProcesses[0]).toEqual(expect.arrayContaining([...nodeFlags, '--trace-gc', '--import', 'tsx']));
        const collections = server.collections();
        expect(collections.scavenges).toBeGreaterThanOrEqual(0);
      }
    } finally {
      for (const server of servers) await server.stop();
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
    expect(report.table.columns.at(-2)).toBe('scavenges / 1,000 req');
    for (const row of report.table.rows) {
      for (const cell of row.slice(2, 7)) {
        const figures = figuresOf(cell);
        expect(figures.length).toBeGreaterThan(0);
        for (const figure of figures) {
          expect(Number.isFinite(figure)).toBe(true);
          expect(figure).toBeGreaterThan(0);
        }
      }
      // A quick run is short enough for a server to make no collection at all.
      expect(Number(row[7])).toBeGreaterThanOrEqual(0);
      expect(row[8]).toBe(targets[String(row[1])]?.[String(row[0])] ?? 'reference');
    }
    // The method's young generation, the same for every server, is in the report and its text.
    const raw = report.raw as { semiSpaceMb: number; nodeFlags: string[] };
    expect(raw.nodeFlags).toEqual(youngGenerationFlags(raw.semiSpaceMb));
    expect(raw.semiSpaceMb).toBeGreaterThan(0);
    expect(report.method).toContain(`\`${raw.nodeFlags.join(' ')}\``);
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
    // The same fixed young generation for every server priced, named in the method.
    const raw = report.raw as { semiSpaceMb: number; nodeFlags: string[] };
    expect(raw.nodeFlags).toEqual(youngGenerationFlags(raw.semiSpaceMb));
    expect(raw.semiSpaceMb).toBeGreaterThan(0);
    expect(report.method).toContain(`\`${raw.nodeFlags.join(' ')}\``);
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
