// Test support: a benchmark's `--quick` run as a user makes it, and the checks every report passes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { benchJsonFile } from './bench-report.js';

const benchDir = fileURLToPath(new URL('../', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

/** The JSON a run writes (bench-report.ts). */
export interface WrittenReport {
  bench: string;
  quick: boolean;
  command: string;
  machine: string;
  method: string;
  table: { columns: string[]; rows: (string | number)[][] };
  verdicts: { target: string; met: boolean }[];
  raw: unknown;
}

/** Runs `pnpm bench <name> --quick` as a user would (the CLI, real servers) and reads its JSON. */
export async function runQuick(name: string): Promise<{ report: WrittenReport; stdout: string }> {
  const { stdout } = await promisify(execFile)(tsx, ['--conditions=@tandem/source', 'src/cli.ts', name, '--quick'], {
    cwd: benchDir,
    maxBuffer: 16 * 2 ** 20,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { report: JSON.parse(readFileSync(benchJsonFile(name, true), 'utf8')) as WrittenReport, stdout };
}

/** Every figure a number or a text that starts with one; all of them positive and finite. */
export function figuresOf(cell: string | number): number[] {
  if (typeof cell === 'number') return [cell];
  return [...cell.matchAll(/(\d+(?:\.\d+)?)/g)].map((match) => Number(match[1]));
}

export function expectWellFormed(report: WrittenReport, name: string, rows: number) {
  expect(report.bench).toBe(name);
  expect(report.quick).toBe(true);
  expect(report.command).toBe(`pnpm bench ${name} --quick`);
  expect(report.machine).toMatch(/\d+ cores .*Node v\d+/);
  expect(report.table.rows).toHaveLength(rows);
  for (const row of report.table.rows) expect(row).toHaveLength(report.table.columns.length);
  expect(report.verdicts.length).toBeGreaterThan(0);
  for (const verdict of report.verdicts) expect(typeof verdict.met).toBe('boolean');
}
