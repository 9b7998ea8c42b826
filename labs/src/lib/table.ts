/** A before/after table, printed as aligned text on a terminal and as Markdown in the docs. */
export interface ResultTable {
  columns: string[];
  rows: (string | number)[][];
}

export function formatText(table: ResultTable): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, index) => Math.max(...cells.map((row) => (row[index] ?? '').length)));
  const line = (row: string[]) => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ');
  return [line(cells[0] ?? []), widths.map((width) => '─'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export function formatMarkdown(table: ResultTable): string {
  const row = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [row(table.columns), row(table.columns.map(() => '---')), ...table.rows.map(row)].join('\n');
}
