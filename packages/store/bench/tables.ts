// The same table as aligned plain text (the console) and as Markdown (docs/benchmarks.md).
// The first column is left-aligned, the others (numbers) right-aligned.

export type Table = { headers: string[]; rows: string[][] };

export function textTable({ headers, rows }: Table): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => align(cell, widths[column], column)).join('  ').trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable({ headers, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = headers.map((_, column) => (column === 0 ? ':---' : '---:'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

function align(cell: string, width: number, column: number): string {
  return column === 0 ? cell.padEnd(width) : cell.padStart(width);
}
