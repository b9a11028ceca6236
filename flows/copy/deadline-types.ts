/** What a reminder or escalation says about an inquiry. */
export interface DeadlineView {
  code: string;
  question: string;
  orgName: string;
  dueAt: Date | string;
  /** How late it is, in ms (0 or negative: not yet due). */
  lateMs: number;
  /** Whether a local date is a working day (the legal calendar); present: days left are working days. */
  isWorkingDay?: (date: string) => boolean;
  /** The assigned spokesperson's name, for escalations. */
  assignee?: string;
}

/** Texts of reminders and escalations (owned separately from the main copy; merged into it). */
export interface DeadlineCopy {
  /** A reminder to the spokesperson at `percent`% of the allowed time (100 = due now). */
  reminder(v: DeadlineView, percent: number): string;
  /** A daily nudge while overdue. */
  overdue(v: DeadlineView): string;
  /** An escalation to a rung of the ladder (`head`, `coordinator`, `leader`). */
  escalation(v: DeadlineView, rung: string): string;
  btnWorking: string;
  btnExtend: string;
  btnTransfer: string;
  /** "2 ngày 3 giờ" / "2 days 3 hours". */
  duration(ms: number): string;
}
