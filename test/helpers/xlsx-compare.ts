import ExcelJS from 'exceljs';
import { PassThrough, type Writable } from 'node:stream';

/** Runs a writer into memory: the file's bytes. */
export async function xlsxBytes(write: (out: Writable) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

/**
 * A workbook as a spreadsheet reads it: per sheet its name, page setup, columns (width, number
 * format, wrapping) and every cell (address, type, value, number format, font, alignment).
 */
export async function xlsxModel(bytes: Buffer): Promise<unknown> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const cells: unknown[] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: true }, (c) => {
        cells.push([c.address, c.type, c.value instanceof Date ? c.value.toISOString() : c.value, c.numFmt ?? null, JSON.stringify(c.font ?? null), JSON.stringify(c.alignment ?? null)]);
      });
    });
    const columns = (ws.columns ?? []).map((c) => [c.width ?? null, c.numFmt ?? null, JSON.stringify(c.alignment ?? null)]);
    return { name: ws.name, pageSetup: { paperSize: ws.pageSetup.paperSize, orientation: ws.pageSetup.orientation, fitToPage: ws.pageSetup.fitToPage, fitToWidth: ws.pageSetup.fitToWidth }, columns, cells };
  });
}
