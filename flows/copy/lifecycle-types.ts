import type { DueArg } from './due.js';
import type { Action } from '../lifecycle/types.js';

/** What happened to an inquiry before the actor's action: who did what, when. */
export interface Happened {
  code: string;
  action: Action;
  /** The actor's name; null: the system, or a person no longer in the directory. */
  by: string | null;
  /** The reader did it themselves (another chat, an earlier press). */
  self: boolean;
  /** ISO-8601 UTC instant. */
  at: string;
}

/** Why an organisation cannot receive a transferred or routed inquiry. */
export type TargetProblem = 'unknown' | 'inactive' | 'same' | 'no_receiver' | 'out_of_scope';

/** Texts of the inquiry lifecycle (issue #12): lost races, new deadlines, conclusion dates, classes. */
export interface LifecycleCopy {
  /** Someone acted first, or the status moved on: name what happened, by whom and when. */
  happened(h: Happened): string;
  /** A follow-up reopened the inquiry: its own new due time. */
  newPeriod(dueAt: DueArg): string;
  /** `/class Q-12`: choose the deadline class. */
  chooseClass(code: string, current: string): string;
  btnConclusion: string;
  /** Ask for the complaint's conclusion date. */
  askConclusionDate(code: string): string;
  /** The date is not `dd/mm/yyyy`, not a real date, or after `today` (`dd/mm/yyyy`). */
  invalidConclusionDate(today: string): string;
  /** The inquiry's class does not count from a conclusion. */
  conclusionNotApplicable(code: string, cls: string): string;
  /** The date is stored; the due time counts from it. `date` is `dd/mm/yyyy`. */
  conclusionSet(code: string, date: string, dueAt: DueArg, basis: string): string;
  /** The class counts from a complaint's conclusion whose date nobody has entered yet. */
  awaitsConclusion(code: string): string;
  /** The chosen agency cannot receive the inquiry. */
  targetRefused(org: string, problem: TargetProblem): string;
  /** No other agency can receive it. */
  noTargets(code: string): string;
}
