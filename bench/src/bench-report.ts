import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { formatMarkdownFile, repoRoot } from '@tandem/local-stack';

export interface BenchReport {
  name: string;
  method: string;
  table: { columns: string[]; rows: (string | number)[][] };
  verdicts: { target: string; met: boolean }[];
  raw: unknown;
}

const machine = () =>
  `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/** Where a run's JSON goes: `.data/bench/<name>.json`, or `<name>.quick.json` for a `--quick` run. */
export const benchJsonFile = (name: string, quick: boolean) =>
  join(repoRoot, '.data', 'bench', `${name}${quick ? '.quick' : ''}.json`);

/**
 * Prints the figures, writes the JSON (see benchJsonFile); with `docs`, refreshes its block
 * in docs/performance.md. Returns the JSON file's path.
 */
export function publishBench(
  report: BenchReport,
  options: {
    docs: boolean;
    quick?: boolean /** `--rounds …`/`--seconds …` as given, part of the command. */;
    flags?: string;
  },
): string {
  const date = new Date().toISOString().slice(0, 10);
  const quick = options.quick ?? false;
  const file = benchJsonFile(report.name, quick);
  mkdirSync(dirname(file), { recursive: true });
  const command = `pnpm bench ${report.name}${quick ? ' --quick' : ''}${options.flags ? ` ${options.flags}` : ''}`;
  writeFileSync(
    file,
    `${JSON.stringify({ bench: report.name, date, machine: machine(), command, quick, ...report }, null, 2)}\n`,
  );

  const widths = report.table.columns.map((column, index) =>
    Math.max(column.length, ...report.table.rows.map((row) => String(row[index]).length)),
  );
  const line = (cells: (string | number)[]) => cells.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${report.name}${quick ? ' (--quick: a smoke run, not a measurement)' : ''}: ${report.method}\n`);
  console.log(line(report.table.columns));
  for (const row of report.table.rows) console.log(line(row));
  console.log('');
  for (const verdict of report.verdicts) console.log(`${verdict.met ? '✓' : '✗'} ${verdict.target}`);
  console.log(`\ncommand:     ${command}`);
  console.log(`raw results: ${file}`);

  if (options.docs) {
    const page = join(repoRoot, 'docs', 'performance.md');
    const markdown = [
      `<!-- bench:${report.name}:start (written by \`pnpm bench ${report.name} --docs\`; do not edit by hand) -->`,
      `Measured ${date} on ${machine()} with \`pnpm bench ${report.name}\`. ${report.method}`,
      '',
      `| ${report.table.columns.join(' | ')} |`,
      `| ${report.table.columns.map(() => '---').join(' | ')} |`,
      ...report.table.rows.map((row) => `| ${row.join(' | ')} |`),
      '',
      ...report.verdicts.map((verdict) => `- ${verdict.met ? '✅' : '❌'} ${verdict.target}`),
      `<!-- bench:${report.name}:end -->`,
    ].join('\n');
    const text = readFileSync(page, 'utf8');
    const pattern = new RegExp(`<!-- bench:${report.name}:start[\\s\\S]*?<!-- bench:${report.name}:end -->`);
    if (!pattern.test(text)) throw new Error(`${page} has no bench:${report.name} block`);
    writeFileSync(page, text.replace(pattern, markdown));
    formatMarkdownFile(page);
    console.log(`docs:        ${page}`);
  }
  return file;
}
