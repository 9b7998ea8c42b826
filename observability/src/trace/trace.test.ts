import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:http2';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ApiCallSample, RumBatch } from '@tandem/contract';
import { collectRequestTrace, parseServerTiming, type RunningApi, repoRoot, startApi } from '@tandem/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * End to end: the real API (its own process, LOG_LEVEL=info, stdout to a file as the
 * demo writes it), one request with a known X-Request-ID, a RUM beacon that reports it,
 * then the `pnpm trace` command itself on that log.
 */
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const cli = fileURLToPath(new URL('./trace-cli.ts', import.meta.url));

// The embedded database persists here between runs (a first start is slow on a busy machine); the log is new each run.
const workDir = join(repoRoot, '.data', 'observability', 'trace-api');
let api: RunningApi | undefined;
let logFile: string;
const tracedId = `trace-test-${randomUUID()}`;
const serverOnlyId = `trace-test-server-only-${randomUUID()}`;
let sentServerTiming: string;

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function h2Request(origin: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const session = connect(origin, { rejectUnauthorized: false });
  return new Promise<Answer>((resolve, reject) => {
    session.on('error', reject);
    const stream = session.request(headers);
    let answer: Answer = { status: 0, headers: {}, body: '' };
    stream.setEncoding('utf8');
    stream.on('response', (incoming) => {
      answer = { ...answer, status: Number(incoming[':status']), headers: incoming };
    });
    stream.on('data', (chunk: string) => {
      answer.body += chunk;
    });
    stream.on('end', () => resolve(answer));
    stream.on('error', reject);
    stream.end(body);
  }).finally(() => session.close());
}

async function logShows(check: (text: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (check(readFileSync(logFile, 'utf8'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the API log never showed ${what}`);
}

function runTrace(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(tsx, ['--conditions=@tandem/source', cli, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

beforeAll(async () => {
  mkdirSync(workDir, { recursive: true });
  rmSync(join(workDir, 'api.log'), { force: true });
  api = await startApi({ workDir, env: { LOG_LEVEL: 'info', SEED_ORDERS: '0' }, readyTimeoutMs: 150_000 });
  logFile = api.process.logFile;

  const call = await h2Request(api.origin, {
    ':path': '/api/v1/orders?limit=1',
    'x-request-id': tracedId,
    cookie: api.sessions.user,
  });
  expect(call.status).toBe(200);
  expect(call.headers['x-request-id']).toBe(tracedId);
  sentServerTiming = String(call.headers['server-timing']);
  const readBack = parseServerTiming(sentServerTiming);
  const sample: ApiCallSample = {
    type: 'api-call',
    route: '/api/v1/orders',
    method: 'GET',
    status: call.status,
    requestId: tracedId,
    protocol: 'h2',
    page: 'orders',
    durationMs: 87.5,
    phases: { dnsMs: 0, connectMs: 9.5, tlsMs: 6.25, requestMs: 70, responseMs: 1.5 },
    server: { appMs: readBack.appMs, dbMs: readBack.dbMs },
    attempt: 1,
  };
  const batch: RumBatch = { app: 'web@trace-test', samples: [sample] };
  const beacon = await h2Request(
    api.origin,
    { ':method': 'POST', ':path': '/api/v1/rum', 'content-type': 'text/plain;charset=UTF-8' },
    JSON.stringify(batch),
  );
  expect(beacon.status, beacon.body).toBe(202);
  expect((await h2Request(api.origin, { ':path': '/healthz', 'x-request-id': serverOnlyId })).status).toBe(200);

  await logShows((text) => text.includes('"rum api-call"') && text.includes(tracedId), 'the rum api-call line');
  await logShows(
    (text) => text.split('\n').some((line) => line.includes(serverOnlyId) && line.includes('request completed')),
    'the last completion line',
  );
}, 240_000);

afterAll(async () => {
  await api?.stop();
});

describe('pnpm trace <request-id> against the real API log', () => {
  it('the completion line carries the Server-Timing the response was sent with', () => {
    const completed = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((record) => record.requestId === tracedId && record.msg === 'request completed');
    expect(completed?.serverTiming).toBe(sentServerTiming);
    expect(sentServerTiming).toMatch(/^app;dur=[\d.]+, db;dur=[\d.]+$/);
  });

  it("prints the browser's record, the server's lines and the Server-Timing sent, side by side", async () => {
    const { code, stdout, stderr } = await runTrace([tracedId, '--log', logFile]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Request ${tracedId}`);
    expect(stdout).toContain("Browser (the SPA's record)");
    expect(stdout).toContain('GET /api/v1/orders → 200');
    expect(stdout).toContain('87.5 ms');
    expect(stdout).toContain('connect 9.5 ms (tls 6.3 ms)');
    expect(stdout).toContain('web@trace-test');
    expect(stdout).toMatch(/Server \(\d+ log lines\)/);
    expect(stdout).toContain('incoming request');
    expect(stdout).toContain('GET /api/v1/orders?limit=1');
    expect(stdout).toMatch(/request completed\s+200/);
    expect(stdout).toContain(`Server-Timing sent\n  ${sentServerTiming}`);
    expect(stdout).toContain('Side by side');
    expect(stdout).not.toContain('not found');
  });

  it('says which source lacks the id: a request the browser never reported', async () => {
    const { code, stdout } = await runTrace([serverOnlyId, '--log', logFile]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Browser: not found — no "rum api-call" line has rum.requestId = ${serverOnlyId}`);
    expect(stdout).toContain('GET /healthz');
    expect(stdout).not.toContain('Server: not found');
  });

  it('says both are missing, and exits 1, for an id in neither', async () => {
    const { code, stdout } = await runTrace(['never-sent-id', '--log', logFile]);
    expect(code).toBe(1);
    expect(stdout).toContain('Browser: not found');
    expect(stdout).toContain('Server: not found — no log line has requestId = never-sent-id');
  });

  it('reads the log from standard input with --log -, past a console prefix', async () => {
    const prefixed = readFileSync(logFile, 'utf8')
      .split('\n')
      .map((line) => `[api] ${line}`)
      .join('\n');
    const { code, stdout } = await runTrace([tracedId, '--log', '-'], prefixed);
    expect(code).toBe(0);
    expect(stdout).toContain('standard input');
    expect(stdout).toContain("Browser (the SPA's record)");
    expect(stdout).toContain('request completed');
  });

  it('refuses a malformed request id and a missing log file with exit 2 and the reason', async () => {
    const bad = await runTrace(['has spaces']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a request id');
    const missing = await runTrace([tracedId, '--log', join(workDir, 'no-such.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No log file at');
  });
});

describe('collectRequestTrace', () => {
  it('keeps only exact ids, and ignores lines that are not JSON', async () => {
    const lines = [
      'not json at all',
      JSON.stringify({ level: 30, time: 1, requestId: 'abc-1', msg: 'request completed', responseTime: 2 }),
      JSON.stringify({ level: 30, time: 2, requestId: 'abc-10', msg: 'request completed' }),
      '{"broken": ',
    ];
    const trace = await collectRequestTrace(Readable.from(lines), 'abc-1');
    expect(trace.linesRead).toBe(4);
    expect(trace.server.map((line) => line.msg)).toEqual(['request completed']);
    expect(trace.browser).toEqual([]);
  });

  it('parses a Server-Timing header', () => {
    expect(parseServerTiming('app;dur=12.3, db;dur=4.1')).toEqual({ appMs: 12.3, dbMs: 4.1 });
  });
});
