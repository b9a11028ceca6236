import { formatInstant, spreadsheetDate } from './format.js';
import type { Cell, Column, Table } from './tables.js';

/** A column's kind in a row: a row may say its numbers are rates (`kind: 'pct'`) or minutes. */
function kindOf(c: Column, row: Record<string, Cell>): Column['kind'] {
  return c.kind === 'text' || c.kind === 'datetime' || typeof row.kind !== 'string' ? c.kind : (row.kind as Column['kind']);
}

/** A cell as CSV text: rates as percentages (`66,7 %` would break spreadsheets' parsing: `66.7`), minutes as hours, instants in Vietnam time. */
function csvCell(c: Column, row: Record<string, Cell>): string {
  const v = row[c.key] ?? null;
  if (v === null) return '';
  const kind = kindOf(c, row);
  if (kind === 'datetime' && typeof v === 'string') return formatInstant(v);
  if (kind === 'pct' && typeof v === 'number') return (Math.round(v * 1000) / 10).toFixed(1);
  if (kind === 'minutes' && typeof v === 'number') return (v / 60).toFixed(1);
  return String(v);
}

function quote(s: string): string {
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The table as CSV: UTF-8 with a BOM (Excel then shows Vietnamese), headers "Vietnamese / English",
 * rates in percent, first-response times in hours, times as Vietnam wall clock `dd/mm/yyyy HH:mm`.
 * Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe.
 */
export function toCsv(t: Table): string {
  const head = t.columns.map((c) => quote(`${c.vi} / ${c.en}${headerUnit(c)}`)).join(',');
  const body = t.rows.map((row) => t.columns.map((c) => quote(csvCell(c, row))).join(','));
  return `\uFEFF${[head, ...body].join('\r\n')}\r\n`;
}

function headerUnit(c: Column): string {
  return c.kind === 'pct' ? ' (%)' : c.kind === 'minutes' ? ' (giờ / hours)' : '';
}

/** The table as an XLSX workbook (one sheet): real numbers, `0.0%` rates, dates as Vietnam wall-clock dates. */
export async function toXlsx(t: Table): Promise<Buffer> {
  // Loaded on the first export: exceljs is large, and a process may never export anything.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Mạng lưới phát ngôn';
  const ws = wb.addWorksheet(t.vi.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  ws.addRow([`${t.vi} / ${t.en}`]).font = { bold: true };
  const head = ws.addRow(t.columns.map((c) => `${c.vi} / ${c.en}${headerUnit(c)}`));
  head.font = { bold: true };
  t.columns.forEach((c, i) => { ws.getColumn(i + 1).width = c.kind === 'text' ? 32 : 16; });
  for (const row of t.rows) {
    const r = ws.addRow(t.columns.map((c) => {
      const v = row[c.key] ?? null;
      const kind = kindOf(c, row);
      if (v === null) return null;
      if (kind === 'datetime' && typeof v === 'string') return spreadsheetDate(v);
      if (kind === 'minutes' && typeof v === 'number') return Math.round((v / 60) * 10) / 10;
      return v;
    }));
    t.columns.forEach((c, i) => {
      const kind = kindOf(c, row);
      if (kind === 'pct') r.getCell(i + 1).numFmt = '0.0%';
      if (kind === 'datetime') r.getCell(i + 1).numFmt = 'dd/mm/yyyy hh:mm';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
