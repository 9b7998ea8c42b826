import { type InitialJs, KB } from './initial-js';

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

/**
 * What the build prints about its initial JS: the gzip total against the budget, then the
 * packages that make up most of it (by their size in the chunks, before gzip: gzip works on
 * whole files, so a package's compressed share is not measurable on its own).
 */
export function initialJsReport(measured: InitialJs, budgetKb: number, top = 8): string[] {
  const over = measured.gzipBytes - budgetKb * KB;
  const files = `${measured.files.length} file${measured.files.length === 1 ? '' : 's'}`;
  const lines = [
    `initial JS: ${(measured.gzipBytes / KB).toFixed(1)} KB gzip (budget ${budgetKb} KB)${over > 0 ? ` — ${kb(over)} over budget` : ''}, in the ${files} index.html loads or modulepreloads`,
  ];
  if (measured.contributors.length > 0) {
    lines.push('  top contributors (share of the initial chunks before gzip):');
    for (const { name, bytes, share } of measured.contributors.slice(0, top)) {
      lines.push(`    ${`${(share * 100).toFixed(1)}%`.padStart(6)}  ${kb(bytes).padStart(9)}  ${name}`);
    }
  }
  return lines;
}
