/** One CSV field per RFC 4180: quoted when it holds a comma, quote, line break or edge spaces. */
export function toCsvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text of `rows` (first row = header), CRLF line endings as RFC 4180 and Excel expect. */
export function toCsv(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((row) => row.map(toCsvField).join(',')).join('\r\n') + '\r\n';
}
