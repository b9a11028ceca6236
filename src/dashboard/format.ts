/** Vietnam is UTC+7 all year (no daylight saving). */
const OFFSET_MS = 7 * 3_600_000;

/** `YYYY-MM-DD` as the Vietnamese write it: `dd/mm/yyyy`. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** An ISO instant as Vietnam wall-clock time `dd/mm/yyyy HH:mm`. */
export function formatInstant(iso: string): string {
  const local = new Date(Date.parse(iso) + OFFSET_MS).toISOString();
  return `${formatDay(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

/**
 * An ISO instant as a spreadsheet date: spreadsheets have no time zones, so the cell holds the
 * Vietnam wall-clock time (the Date's UTC fields are Vietnam's).
 */
export function spreadsheetDate(iso: string): Date {
  return new Date(Date.parse(iso) + OFFSET_MS);
}

/** {@link spreadsheetDate} as the number a cell holds: days since 1899-12-30 (the same value, without a Date). */
export function spreadsheetSerial(iso: string): number {
  return spreadsheetSerialOfMs(Date.parse(iso));
}

/** {@link spreadsheetSerial} of an instant in ms since the epoch (for a caller that has parsed it already). */
export function spreadsheetSerialOfMs(ms: number): number {
  return 25569 + (ms + OFFSET_MS) / 86_400_000;
}
