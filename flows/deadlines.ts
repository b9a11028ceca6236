import type { Db } from '../db/client.js';
import type { DeadlineClass, DeadlineCounting } from '../db/schema.js';

/** The legal deadline given to an inquiry. */
export interface DeadlineAssignment {
  deadlineClass: DeadlineClass;
  /** Versioned rule id, e.g. `2026.routine`, or `override.<id>` for an agency's own period. */
  ruleId: string;
  /** The legal basis shown to people, e.g. "Nghị định 244/2026/NĐ-CP, Điều 7(3)". */
  legalBasis: string;
  dueAt: Date;
  counting: DeadlineCounting;
}

/**
 * Deadline arithmetic the flows need, injected by the composition root (it lives in `src/time/`,
 * which flows may not import). Implementations read the calendar and agency overrides through
 * `db` — inside a flow, its transaction: on SQLite another handle would wait for it forever.
 */
export interface DeadlinePolicy {
  /** The rule and due time for an inquiry of `deadlineClass` received at `receivedAt` by agency `orgId`. */
  assign(input: { receivedAt: Date; deadlineClass: DeadlineClass; orgId: number | null; db?: Db }): Promise<DeadlineAssignment>;
  /** The due time once a pause (waiting for the reporter) from `pausedAt` to `resumedAt` no longer counts. */
  resume(input: { dueAt: Date; pausedAt: Date; resumedAt: Date; counting: DeadlineCounting; orgId: number | null; db?: Db }): Promise<Date>;
}
