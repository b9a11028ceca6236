import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { fileError, type CsvRow, type Reason, type RowErrors } from './types.js';

/** The columns a kind accepts; `required` columns must be in the header (and non-blank in rows). */
export interface CsvTableSpec {
  columns: readonly string[];
  required: readonly string[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses a whole CSV text against `spec`: UTF-8 with or without BOM, CRLF/CR/LF, quoted fields
 * with commas and newlines, case-insensitive header, blank lines ignored. Returns the data rows,
 * or `null` after reporting why the file as a whole cannot be read (syntax, header).
 * Rows whose field count differs from the header's are reported and left out.
 */
export function parseCsvTable(text: string, spec: CsvTableSpec, errs: RowErrors): CsvRow[] | null {
  // csv-parse counts a CRLF inside a quoted field as two lines; one line ending keeps numbers physical.
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let records: ParsedRecord[];
  try {
    records = parse(normalised, { info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as ParsedRecord[];
  } catch (error) {
    errs.add(errorLine(error), describeCsvError(error));
    return null;
  }
  const [head, ...body] = records;
  if (!head) {
    errs.add(1, (c) => c.emptyFile(spec.required));
    return null;
  }
  const header = parseHeader(head, spec, errs);
  if (!header) return null;
  const rows: CsvRow[] = [];
  for (const rec of body) {
    const row = toCsvRow(rec, header, errs);
    if (row) rows.push(row);
  }
  return rows;
}

/** The physical line a record starts on: the parser reports where it ends. */
function startLine(rec: ParsedRecord): number {
  const innerBreaks = rec.record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
  return rec.info.lines - innerBreaks;
}

function parseHeader(head: ParsedRecord, spec: CsvTableSpec, errs: RowErrors): string[] | null {
  const line = startLine(head);
  const names = head.record.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  const before = errs.count;
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') errs.add(line, (c) => c.headerColumnNoName(i + 1));
    else if (!spec.columns.includes(name)) errs.add(line, (c) => c.unknownColumn(name, spec.columns));
    else if (seen.has(name)) errs.add(line, (c) => c.columnTwice(name));
    seen.add(name);
  });
  for (const col of spec.required) {
    if (!seen.has(col)) errs.add(line, (c) => c.missingColumn(col));
  }
  return errs.count === before ? names : null;
}

function toCsvRow(rec: ParsedRecord, header: readonly string[], errs: RowErrors): CsvRow | null {
  const values = rec.record.map((v) => v.trim());
  // Spreadsheets pad blank rows with separators (",,,,"); such a row carries nothing.
  if (values.every((v) => v === '')) return null;
  const line = startLine(rec);
  const extraFilled = values.slice(header.length).some((v) => v !== '');
  if (values.length < header.length || extraFilled) {
    errs.add(line, (c) => c.fieldCount(values.length, header.length));
    return null;
  }
  const cells: Record<string, string> = {};
  header.forEach((name, i) => { cells[name] = (values[i] ?? '').normalize('NFC'); });
  return { line, cells };
}

function errorLine(error: unknown): number {
  const lines = (error as { lines?: unknown }).lines;
  return typeof lines === 'number' && lines > 0 ? lines : 1;
}

function describeCsvError(error: unknown): Reason {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED': return (c) => c.csvQuoteNotClosed;
    case 'INVALID_OPENING_QUOTE': return (c) => c.csvOpeningQuote;
    case 'CSV_INVALID_CLOSING_QUOTE': return (c) => c.csvClosingQuote;
    default: return (c) => c.csvSyntax(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Reads a CSV file as UTF-8 text. An unreadable or non-UTF-8 file is a list of `file: lý do / reason`
 * errors rather than an exception, so every import reports it the same way.
 */
export async function readUtf8File(filePath: string): Promise<{ ok: true; text: string } | { ok: false; errors: string[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, errors: [fileError(filePath, (c) => c.cannotRead(typeof code === 'string' ? code : String(error)))] };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, errors: [fileError(filePath, (c) => c.notUtf8, 1)] };
  }
}
