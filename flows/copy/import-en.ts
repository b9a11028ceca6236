import type { ImportCopy } from './import-types.js';

const list = (items: readonly string[]): string => items.join(', ');

export const importEn: ImportCopy = {
  cannotRead: (code) => `cannot read the file (${code})`,
  notUtf8: 'the file is not UTF-8 text (in Excel, save as "CSV UTF-8")',
  emptyFile: (required) => `the file is empty: expected a header line with ${list(required)}`,
  unknownKind: (kind, expected) => `unknown import kind "${kind}" (expected: ${list(expected)})`,
  csvQuoteNotClosed: 'CSV syntax error: a quoted field is never closed (check for a stray " character)',
  csvOpeningQuote: 'CSV syntax error: a " appears inside an unquoted field (quote the whole field and write "" for a quote)',
  csvClosingQuote: 'CSV syntax error: unexpected text after a closing quote',
  csvSyntax: (detail) => `CSV syntax error: ${detail}`,
  headerColumnNoName: (n) => `column ${n} of the header has no name`,
  unknownColumn: (name, expected) => `unknown column "${name}" (expected: ${list(expected)})`,
  columnTwice: (name) => `column "${name}" appears twice in the header`,
  missingColumn: (name) => `missing required column "${name}"`,
  fieldCount: (n, h) => `has ${n} fields but the header has ${h} (quote fields that contain commas)`,

  required: (col) => `${col} is required`,
  invalidCode: (col, v) => `${col} "${v}" is not a valid code (letters, digits, ".", "_" and "-", at most 64, starting with a letter or digit)`,
  invalidDate: (col, v) => `${col} "${v}" is not a valid date (write YYYY-MM-DD, e.g. 2025-07-01)`,
  invalidFlag: (col, v) => `${col} must be 0 or 1, not "${v}"`,
  notOneOf: (col, v, allowed) => `${col} "${v}" is not one of ${list(allowed)}`,
  invalidPhone: (col) => `${col} is not a valid number (digits, an optional leading +, spaces)`,
  invalidInvite: (col, v, min) => `${col} "${v}" is not valid: use ${min} to 64 of A-Z, a-z, 0-9, "_" and "-" (shorter codes are too easy to guess; Telegram /start rules)`,
  validityOrder: (from, to) => `valid_from ${from} is after valid_to ${to}`,

  codeRepeated: (code, line) => `code "${code}" is repeated (first on line ${line})`,
  roleRepeated: (role, person, line) => `role ${role} for "${person}" is repeated (first on line ${line})`,
  refMissing: (col, code) => `${col} "${code}" is neither in this file nor in the database`,
  orgTreeCycle: (path) => `the organisation tree has a cycle: ${path.join(' → ')}`,
  predecessorCycle: (path) => `the predecessor links form a cycle: ${path.join(' → ')}`,
  orgNotImported: (col, code) => `${col} "${code}" is not in the database (import organisations first)`,
  outletNotImported: (code) => `outlet_code "${code}" is not in the database (import outlets first)`,
  caseUnknown: (code) => `case_code "${code}" is not the code of an inquiry in the database`,
  contactOrgType: (code, type) => `org_code "${code}" is a ${type}; a contact belongs to a commune or special_zone`,

  kindRequired: (kinds) => `kind is required for a spokesperson (${list(kinds)})`,
  kindOnlyForSpokespersons: (role) => `kind is only for spokespersons; leave it blank for role ${role}`,
  orgRequired: (role) => `org_code is required for role ${role}`,
  outletRequired: 'outlet_code is required for a reporter',
  pressCardRequired: 'press_card is required for a reporter',
  reporterHasOrg: 'org_code must be blank for a reporter (reporters belong to an outlet)',
  caseOnlyForAuthorised: 'case_code is only for authorised spokespersons',
  personValueDiffers: (col, value, line, person) => `${value === null ? col : `${col} "${value}"`} differs from line ${line} for person "${person}"`,
  inviteGivenTwice: (code, other, line) => `invite_code "${code}" is also given to "${other}" on line ${line}`,
  inviteTaken: (code, owner) => `invite_code "${code}" already belongs to ${owner === null ? 'a self-registered person' : `"${owner}"`} in the database`,
  invalidTag: (tag) => `tag "${tag}" is not valid: use letters, digits, "_" and "-", separate tags with ";"`,

  invalidAmount: (col, v, max) => `${col} "${v}" is not a whole number from 1 to ${max}`,
  overrideRepeated: (org, cls, from, line) => `a period for ${org}, ${cls} from ${from ?? '(no valid_from)'} is repeated (first on line ${line})`,

  invalidOfficeHours: (v) => `office_hours "${v}" is not a list of periods like 07:30-11:30; 13:30-17:00 (24-hour HH:mm, "-" between start and end, ";" between periods)`,
  officePeriodOrder: (p) => `office period ${p} ends before it starts`,
  officePeriodsOverlap: (a, b) => `office periods ${a} and ${b} overlap`,

  calendarNoYearInName: 'the file name must say which year(s) it covers, e.g. 2026.csv or lich-nghi-2026.csv (the import replaces those years\' official schedule)',
  calendarDateTwice: (date, line) => `date ${date} is already listed on line ${line}`,
  calendarDateOutsideYears: (date, years) => `date ${date} is not in the year(s) the file name declares (${years.join(', ')})`,
  calendarNoRows: 'the file has no rows: nothing to import',
  calendarYearWithoutRows: (y) => `the file name declares ${y} but no row is dated in ${y} (an import replaces the whole year)`,
};
