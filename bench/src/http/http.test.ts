import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchJsonFile } from '../bench-report.js';
import { parseServerTiming } from './server-timing-sampler.js';

const benchDir = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

interface WrittenReport {
  bench: string;
  quick: boolean;
  command: string;
  machine: string;
  table: { columns: string[]; rows: (string | number)[][] };
  verdicts: { target: string; met: boolean }[];
  raw: unknown;
}

/** Runs `pnpm bench <name> --quick` as a user would (the CLI, real servers, real h2load) and reads its JSON. */
async function runQuick(name: string): Promise<{ report: WrittenReport; stdout: string }> {
  const { stdout } = await promisify(execFile)(tsx, ['--conditions=@tandem/source', 'src/cli.ts', name, '--quick'], {
    cwd: benchDir,
    maxBuffer: 16 * 2 ** 20,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { report: JSON.parse(readFileSync(benchJsonFile(name, true), 'utf8')) as WrittenReport, stdout };
}

/** Every figure a number or a text that starts with one; all of them positive and finite. */
function figuresOf(cell: string | number): number[] {
  if (typeof cell === 'number') return [cell];
  return [...cell.matchAll(/(\d+(?:\.\d+)?)/g)].map((match) => Number(match[1]));
}

function expectWellFormed(report: WrittenReport, name: string, rows: number) {
  expect(report.bench).toBe(name);
  expect(report.quick).toBe(true);
  expect(report.command).toBe(`pnpm bench ${name} --quick`);
  expect(report.machine).toMatch(/\d+ cores .*Node v\d+/);
  expect(report.table.rows).toHaveLength(rows);
  for (const row of report.table.rows) expect(row).toHaveLength(report.table.columns.length);
  expect(report.verdicts.length).toBeGreaterThan(0);
  for (const verdict of report.verdicts) expect(typeof verdict.met).toBe('boolean');
}

describe('Server-Timing reader', () => {
  it('reads app and db durations from Server-Timing', () => {
    expect(parseServerTiming('app;dur=3.2, db;dur=1.1')).toEqual({ appMs: 3.2, dbMs: 1.1 });
    expect(parseServerTiming('db;dur=0.0, app;dur=12')).toEqual({ appMs: 12, dbMs: 0 });
    expect(parseServerTiming('app;dur=3.2')).toBeUndefined();
    expect(parseServerTiming(undefined)).toBeUndefined();
  });
});

describe('pnpm bench … --quick (real servers, real h2load; figures are not checked against targets)', () => {
  it('orders-list: Tandem and the bare server, three load shapes, positive finite figures', async () => {
    const { report, stdout } = await runQuick('orders-list');
    expectWellFormed(report, 'orders-list', 3);
    expect(report.table.rows.map((row) => row[0])).toEqual(['HTTP/2 50×10', 'HTTP/2 50×1', 'HTTP/1.1 50×1']);
    for (const row of report.table.rows) {
      for (const cell of row.slice(1, 6)) {
        for (const figure of figuresOf(cell)) {
          expect(Number.isFinite(figure)).toBe(true);
          expect(figure).toBeGreaterThan(0);
        }
      }
    }
    // The bare server answered the route's own bytes: every answer of both servers was a 2xx.
    expect(report.verdicts.find((verdict) => verdict.target.startsWith('every answer 2xx'))?.met).toBe(true);
    expect(stdout).toContain('Tandem ÷ bare');
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
