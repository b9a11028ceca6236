/**
 * Why a CSV import (`liaison import`, `liaison calendar import`) refused a file or a row. Column
 * names, codes and values are quoted as written in the file; each text is one reason, without the
 * `file:line:` prefix.
 */
export interface ImportCopy {
  // The file as a whole.
  cannotRead(code: string): string;
  notUtf8: string;
  emptyFile(required: readonly string[]): string;
  unknownKind(kind: string, expected: readonly string[]): string;
  csvQuoteNotClosed: string;
  csvOpeningQuote: string;
  csvClosingQuote: string;
  csvSyntax(detail: string): string;
  headerColumnNoName(position: number): string;
  unknownColumn(name: string, expected: readonly string[]): string;
  columnTwice(name: string): string;
  missingColumn(name: string): string;
  fieldCount(fields: number, headerFields: number): string;

  // One cell.
  required(col: string): string;
  invalidCode(col: string, value: string): string;
  invalidDate(col: string, value: string): string;
  invalidFlag(col: string, value: string): string;
  notOneOf(col: string, value: string, allowed: readonly string[]): string;
  /** The number itself is never repeated (phone numbers stay out of messages and logs). */
  invalidPhone(col: string): string;
  /** `min`: the shortest code accepted, in characters. */
  invalidInvite(col: string, value: string, min: number): string;
  validityOrder(validFrom: string, validTo: string): string;

  // Rows against each other and against the database.
  codeRepeated(code: string, firstLine: number): string;
  roleRepeated(role: string, personCode: string, firstLine: number): string;
  refMissing(col: string, code: string): string;
  orgTreeCycle(path: readonly string[]): string;
  predecessorCycle(path: readonly string[]): string;
  orgNotImported(col: string, code: string): string;
  outletNotImported(code: string): string;
  caseUnknown(code: string): string;
  contactOrgType(code: string, type: string): string;

  // people.csv and contacts.csv.
  kindRequired(kinds: readonly string[]): string;
  kindOnlyForSpokespersons(role: string): string;
  orgRequired(role: string): string;
  outletRequired: string;
  pressCardRequired: string;
  reporterHasOrg: string;
  caseOnlyForAuthorised: string;
  /** `value` is null for a phone number, which is never shown. */
  personValueDiffers(col: string, value: string | null, otherLine: number, personCode: string): string;
  inviteGivenTwice(code: string, otherPerson: string, otherLine: number): string;
  /** `owner` is null for a self-registered person (no directory code). */
  inviteTaken(code: string, owner: string | null): string;
  invalidTag(tag: string): string;

  // deadline-overrides.csv.
  invalidAmount(col: string, value: string, max: number): string;
  overrideRepeated(org: string, deadlineClass: string, validFrom: string | null, firstLine: number): string;

  // office-hours.csv.
  invalidOfficeHours(value: string): string;
  officePeriodOrder(period: string): string;
  officePeriodsOverlap(first: string, second: string): string;

  // Calendar files.
  calendarNoYearInName: string;
  calendarDateTwice(date: string, firstLine: number): string;
  calendarDateOutsideYears(date: string, years: readonly number[]): string;
  calendarNoRows: string;
  calendarYearWithoutRows(year: number): string;
}
