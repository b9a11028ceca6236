import type { Db } from '../db/client.js';
import type { DeadlineClass, DeadlineCounting, IsoDate } from '../db/schema.js';
import type { OrgTree } from '../db/repositories/deadlines.js';

/** The legal deadline given to an inquiry. */
export interface DeadlineAssignment {
  deadlineClass: DeadlineClass;
  /** Versioned rule id, e.g. `2026.routine`, or `override.<id>` for an agency's own period. */
  ruleId: string;
  /** The legal basis shown to people, e.g. "Nghị định 244/2026/NĐ-CP, Điều 7(3)". */
  legalBasis: string;
  dueAt: Date;
  counting: DeadlineCounting;
  /** The instant the period was counted from (receipt, the reopening follow-up, or the conclusion date's midnight). */
  fromAt: Date;
  /** The rule counts from a complaint's conclusion whose date is not entered yet: counted from receipt meanwhile. */
  awaitsConclusion: boolean;
}

/** What an inquiry's period is computed from. */
export interface DeadlineFacts {
  receivedAt: Date;
  deadlineClass: DeadlineClass;
  orgId: number | null;
  /** The follow-up that reopened an answered inquiry: its new period counts from here (**policy**). */
  reopenedAt?: Date | null;
  /** The complaint's conclusion date (`YYYY-MM-DD`), for rules that count from it. */
  concludedOn?: IsoDate | null;
  /** `orgId`'s chain and its overrides of `deadlineClass`, when the caller read them already (else read through `db`). */
  tree?: OrgTree;
  db?: Db;
}

/**
 * Deadline arithmetic the flows need, injected by the composition root (it lives in `src/time/`,
 * which flows may not import). Implementations read the calendar and agency overrides through
 * `db` — inside a flow, its transaction: on SQLite another handle would wait for it forever.
 */
export interface DeadlinePolicy {
  /**
   * The rule and due time for an inquiry of `deadlineClass` received at `receivedAt` by agency
   * `orgId`. The regime and the agency's own period are chosen by the received time; the period
   * counts from the latest of the reopening follow-up and (for a rule that counts from it) the
   * conclusion date, else from receipt.
   */
  assign(input: DeadlineFacts): Promise<DeadlineAssignment>;
  /** The due time once a pause (waiting for the reporter) from `pausedAt` to `resumedAt` no longer counts. */
  resume(input: { dueAt: Date; pausedAt: Date; resumedAt: Date; counting: DeadlineCounting; orgId: number | null; db?: Db }): Promise<Date>;
  /**
   * Whether a local date (`YYYY-MM-DD`) is a working day under the legal calendar, read through
   * `db`; for "còn 2 ngày làm việc". Absent: the time left is counted in calendar days.
   */
  workingDays?(db?: Db): Promise<(date: string) => boolean>;
}
