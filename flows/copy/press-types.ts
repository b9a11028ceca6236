/** Copy of press conferences, correction requests, own-initiative statements and the annual report (issue #15). */
export interface PressCopy {
  /** To admins from 1 December: the Decree 244 Art. 10 report is due before 20 December. */
  annualReportDue(year: number, from: string, to: string): string;
  /** A required form field (`title`, `outlet`, `startsAt`, …) was left empty. */
  fieldMissing(field: string): string;
  notAllowed: string;
  conferenceUsage: string;
  conferenceBadTime(text: string): string;
  conferenceUnknownOrg(code: string): string;
  conferenceOutOfScope(code: string): string;
  conferenceScheduled(p: { code: string; title: string; at: Date | string; place: string; recipients: number }): string;
  conferenceAnnouncement(p: { code: string; title: string; at: Date | string; place: string; topics: string; agencies: string }): { title: string; body: string };
  conferenceNotFound(code: string): string;
  conferenceNotOpen(code: string): string;
  registered(code: string, title: string, at: Date | string): string;
  alreadyRegistered(code: string): string;
  questionUsage: string;
  questionNotPresenting(code: string, agencies: string): string;
  questionStored(code: string, agency: string): string;
  questionToAgency(p: { code: string; title: string; at: Date | string; reporter: string; outlet: string; question: string }): string;
  heldUsage: string;
  heldDone(p: { code: string; answered: number; converted: string[] }): string;
  heldAlready(code: string): string;
  heldTooEarly(code: string, at: Date | string): string;
  convertedToReporter(p: { conference: string; inquiry: string; agency: string; dueAt: Date | string | null }): string;
  correctionUsage: string;
  correctionBadDate(text: string): string;
  correctionRecorded(code: string, outlet: string): string;
  /** The official letter a correction request carries (its file name). */
  correctionLetter(name: string): string;
  /** The dashboard's letter upload is not the person's own stored file. */
  letterInvalid: string;
  correctionOutcomeUsage: string;
  correctionNotFound(code: string): string;
  correctionOutcomeSaved(code: string, outcome: string): string;
  /** A letter attached to an already recorded request (its file name). */
  correctionLetterAttached(code: string, name: string): string;
  outcomeLabel(outcome: string): string;
  statementUsage: string;
  statementBadTime(text: string): string;
  statementRecorded(p: { code: string; title: string; eventAt: Date | string; onTime: boolean; hours: number }): string;
}
