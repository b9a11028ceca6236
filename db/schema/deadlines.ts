import type { Generated } from 'kysely';
import type { IsoDate, IsoInstant } from './common.js';

/** The legal calendar, agencies' own deadline periods, extensions and the deadline log. */

/** Deadline classes (rules.md "Deadline classes"). */
export type DeadlineClass = 'incident' | 'public_opinion' | 'routine' | 'forwarded_petition' | 'complaint_conclusion' | 'press_answer';
export const DEADLINE_CLASSES: readonly DeadlineClass[] = ['incident', 'public_opinion', 'routine', 'forwarded_petition', 'complaint_conclusion', 'press_answer'];

/** How a period is counted: `hours` on the wall clock; `days` per Civil Code Art. 148; `working_days` skipping rest days and holidays. */
export type PeriodUnit = 'hours' | 'days' | 'working_days';

/** `wall`: the clock runs day and night (hour periods); `working`: reminders only in office hours. */
export type DeadlineCounting = 'wall' | 'working';

/** Kinds of an entry in the official calendar. */
export type CalendarDayKind = 'holiday' | 'day_off' | 'makeup_workday';

export type ExtensionStatus = 'pending' | 'approved' | 'rejected';

export interface CalendarDaysTable {
  date: IsoDate;
  kind: CalendarDayKind;
  name: string;
  /** Where the entry comes from (decision number, URL) — shown by `liaison calendar show`. */
  source: string;
  created_at: IsoInstant;
}

/** Years for which an official schedule was imported (it then replaces the statutory defaults). */
export interface CalendarYearsTable {
  year: number;
  source: string;
  imported_at: IsoInstant;
}

/** An agency's own period for a class (its internal spokesperson regulation). */
export interface DeadlineOverridesTable {
  id: Generated<number>;
  org_id: number;
  deadline_class: DeadlineClass;
  amount: number;
  unit: PeriodUnit;
  legal_basis: string;
  valid_from: IsoDate | null;
  valid_to: IsoDate | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface ExtensionRequestsTable {
  id: Generated<number>;
  inquiry_id: number;
  requested_by_person_id: number | null;
  reason: string;
  proposed_due_at: IsoInstant;
  status: ExtensionStatus;
  decided_by_person_id: number | null;
  decided_at: IsoInstant | null;
  created_at: IsoInstant;
}

/** One reminder or escalation step that fired; the primary key makes firing idempotent. */
export interface DeadlineEventsTable {
  inquiry_id: number;
  /** `remind` | `escalate` | `overdue`. */
  kind: string;
  /** Which step, e.g. `50`, `80`, `due`, `head`, `2026-11-24` (with the deadline_seq it belongs to). */
  step: string;
  fired_at: IsoInstant;
}
