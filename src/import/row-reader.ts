import type { CsvRow, Reason, RowErrors } from './types.js';

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Telegram deep-link payload rules (`/start <payload>`): 1–64 of A–Z a–z 0–9 _ -; we ask for ≥ 6. */
/** Invite codes are credentials: at least {@link MIN_INVITE_LENGTH} characters, so they cannot be guessed in the attempts the bot allows. */
export const MIN_INVITE_LENGTH = 8;
const INVITE_RE = new RegExp(`^[A-Za-z0-9_-]{${MIN_INVITE_LENGTH},64}$`);
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE_RE = /^\+?[0-9]{6,15}$/;
const LOCALES = ['vi', 'en'] as const;

/** Reads typed values out of one row, reporting each problem against the row's line. */
export interface RowReader {
  readonly line: number;
  /** True once any problem was reported for this row. */
  readonly failed: boolean;
  /** Trimmed text, or `null` when blank. */
  text(col: string): string | null;
  /** Trimmed text; reports "`col` is required" and returns '' when blank. */
  required(col: string): string;
  /** A directory code (letters, digits, `.`, `_`, `-`; ≤ 64), or `null` when blank and optional. */
  code(col: string, required: boolean): string | null;
  /** `YYYY-MM-DD` that is a real calendar date, or `null` when blank. */
  date(col: string): string | null;
  /** `0` or `1`; `fallback` when blank. */
  flag(col: string, fallback: number | null): number | null;
  /** One of `allowed`, or `null` when blank and optional. */
  oneOf<T extends string>(col: string, allowed: readonly T[], required: boolean): T | null;
  /** A phone number stored without spaces, dots or dashes; never echoed in errors. */
  phone(col: string): string | null;
  invite(col: string): string | null;
  locale(col: string): 'vi' | 'en' | null;
  /** `valid_from` and `valid_to`, checked to be in order. */
  validity(): { validFrom: string | null; validTo: string | null };
  fail(reason: Reason): void;
}

/** Creates a {@link RowReader} for `row`, reporting into `errs`. */
export function createRowReader(row: CsvRow, errs: RowErrors): RowReader {
  let failed = false;
  const fail = (reason: Reason): void => { failed = true; errs.add(row.line, reason); };
  const text = (col: string): string | null => {
    const v = row.cells[col] ?? '';
    return v === '' ? null : v;
  };
  const required = (col: string): string => {
    const v = text(col);
    if (v === null) fail((c) => c.required(col));
    return v ?? '';
  };
  const reader: RowReader = {
    line: row.line,
    get failed() { return failed; },
    text, required, fail,
    code: (col, isRequired) => readCode(isRequired ? required(col) : text(col), col, fail),
    date: (col) => readDate(text(col), col, fail),
    flag: (col, fallback) => readFlag(text(col), col, fallback, fail),
    oneOf: (col, allowed, isRequired) => readOneOf(isRequired ? required(col) : text(col), col, allowed, fail),
    phone: (col) => readPhone(text(col), col, fail),
    invite: (col) => readInvite(text(col), col, fail),
    locale: (col) => readOneOf(text(col), col, LOCALES, fail),
    validity: () => {
      const validFrom = readDate(text('valid_from'), 'valid_from', fail);
      const validTo = readDate(text('valid_to'), 'valid_to', fail);
      if (validFrom && validTo && validFrom > validTo) fail((c) => c.validityOrder(validFrom, validTo));
      return { validFrom, validTo };
    },
  };
  return reader;
}

type Fail = (reason: Reason) => void;

function readCode(v: string | null, col: string, fail: Fail): string | null {
  if (!v) return null;
  if (!CODE_RE.test(v)) {
    fail((c) => c.invalidCode(col, v));
    return null;
  }
  return v;
}

/** True when `v` is `YYYY-MM-DD` naming a real calendar date. */
export function isIsoDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function readDate(v: string | null, col: string, fail: Fail): string | null {
  if (v === null) return null;
  if (!isIsoDate(v)) {
    fail((c) => c.invalidDate(col, v));
    return null;
  }
  return v;
}

function readFlag(v: string | null, col: string, fallback: number | null, fail: Fail): number | null {
  if (v === null) return fallback;
  if (v !== '0' && v !== '1') {
    fail((c) => c.invalidFlag(col, v));
    return fallback;
  }
  return Number(v);
}

function readOneOf<T extends string>(v: string | null, col: string, allowed: readonly T[], fail: Fail): T | null {
  if (!v) return null;
  const found = allowed.find((a) => a === v.toLowerCase());
  if (!found) fail((c) => c.notOneOf(col, v, allowed));
  return found ?? null;
}

function readPhone(v: string | null, col: string, fail: Fail): string | null {
  if (v === null) return null;
  const compact = v.replace(/[\s.()-]/g, '');
  if (!PHONE_RE.test(compact)) {
    fail((c) => c.invalidPhone(col));
    return null;
  }
  return compact;
}

function readInvite(v: string | null, col: string, fail: Fail): string | null {
  if (v === null) return null;
  if (!INVITE_RE.test(v)) {
    fail((c) => c.invalidInvite(col, v, MIN_INVITE_LENGTH));
    return null;
  }
  return v;
}
