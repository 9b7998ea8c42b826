import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatMarkdownFile, repoRoot } from '@tandem/local-stack';
import { formatMarkdown, formatText, type ResultTable } from './table.js';

/** A pass/fail line against one of the targets. */
export interface Verdict {
  target: string;
  met: boolean;
  detail: string;
}

/** A picture beside the chart, e.g. a flame graph. */
export interface LabFile {
  name: string;
  content: string;
  caption: string;
}

export interface LabReport<Raw = unknown> {
  labId: string;
  /** One line: what was measured and how. */
  method: string;
  table: ResultTable;
  /** Pass/fail lines against the targets. */
  verdicts: Verdict[];
  /** Everything measured, for the JSON file. */
  raw: Raw;
  /** SVG text of the chart. */
  chart: string;
  /** More pictures (e.g. flame graphs), written beside chart.svg and, with `--docs`, as `docs/labs/<id>-<name>`. */
  files?: LabFile[];
}

/** Where a run's files go: `.data/labs/<id>/` (git-ignored). */
export function resultsDir(labId: string): string {
  return join(repoRoot, '.data', 'labs', labId);
}

function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Prints the table and the verdicts, writes `results.json` and `chart.svg`; with
 * `docs`, also replaces the measured section of `docs/labs/<id>.md` and writes the chart
 * beside it, so the page only ever shows what the script measured.
 */
export function publishReport(report: LabReport, options: { docs: boolean }): void {
  const date = new Date().toISOString().slice(0, 10);
  const dir = resultsDir(report.labId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'results.json'),
    `${JSON.stringify({ lab: report.labId, date, machine: machine(), method: report.method, table: report.table, verdicts: report.verdicts, raw: report.raw }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'chart.svg'), report.chart);
  for (const file of report.files ?? []) writeFileSync(join(dir, file.name), file.content);

  console.log(`\n${report.labId}: ${report.method}\n`);
  console.log(formatText(report.table));
  console.log('');
  for (const verdict of report.verdicts) console.log(`${verdict.met ? '✓' : '✗'} ${verdict.target}: ${verdict.detail}`);
  console.log(`\nraw results: ${join(dir, 'results.json')}\nchart:       ${join(dir, 'chart.svg')}`);
  for (const file of report.files ?? []) console.log(`${file.caption}: ${join(dir, file.name)}`);

  if (options.docs) {
    const page = join(repoRoot, 'docs', 'labs', `${report.labId}.md`);
    const chartName = `${report.labId}.svg`;
    writeFileSync(join(repoRoot, 'docs', 'labs', chartName), report.chart);
    for (const file of report.files ?? [])
      writeFileSync(join(repoRoot, 'docs', 'labs', `${report.labId}-${file.name}`), file.content);
    const measured = [
      '<!-- measured:start (written by `pnpm lab --docs`; do not edit by hand) -->',
      `Measured ${date} on ${machine()} with \`pnpm lab ${report.labId}\`. ${report.method}`,
      '',
      formatMarkdown(report.table),
      '',
      ...report.verdicts.map((verdict) => `- ${verdict.met ? '✅' : '❌'} ${verdict.target}: ${verdict.detail}`),
      '',
      `![${report.labId} chart](${chartName})`,
      ...(report.files ?? []).flatMap((file) => [
        '',
        `${file.caption}:`,
        '',
        `![${file.caption}](${report.labId}-${file.name})`,
      ]),
      '<!-- measured:end -->',
    ].join('\n');
    const text = readFileSync(page, 'utf8');
    const updated = text.replace(/<!-- measured:start[\s\S]*?<!-- measured:end -->/, measured);
    if (updated === text && !text.includes(measured))
      throw new Error(`${page} has no <!-- measured:start --> … <!-- measured:end --> block`);
    writeFileSync(page, updated);
    formatMarkdownFile(page);
    console.log(`docs:        ${page}`);
  }
}
