import type { DeadlineClass, EntryKind, Inquiry, InquiryStatus, InquiryUpdate, IsoDate } from '../../db/schema.js';

/**
 * Everything a person can do to an inquiry once it exists (its creation is `flows/inquiry/ask.ts`).
 * Each is one row of {@link LIFECYCLE} in `table.ts`.
 */
export type Action =
  | 'acknowledge' | 'working' | 'answer' | 'decline' | 'clarify' | 'resume' | 'transfer'
  | 'route' | 'reject' | 'merge' | 'follow_up' | 'reopen' | 'withdraw' | 'rate'
  | 'extend_request' | 'extend_approve' | 'extend_refuse' | 'classify' | 'conclude' | 'correct_answer';

/**
 * Who may do an action:
 * - `reporter`: the reporter who asked the question (nobody else's);
 * - `spokesperson`: a regular spokesperson or head whose organisation is the inquiry's agency or
 *   one of its ancestors, or a person authorised in writing for this one case;
 * - `coordinator`: a coordinator whose scope covers the inquiry's agency (or, in screening, the
 *   suggested one); an unscoped coordinator covers every agency.
 */
export type Party = 'reporter' | 'spokesperson' | 'coordinator';

/**
 * What an action does to the deadline clock:
 * - `none`: nothing;
 * - `pause`: stops counting (waiting for the reporter); `resume`: counts again, the paused time not counted;
 * - `stop`: the inquiry is closed, its reminders end;
 * - `replan`: the same period recomputed for a new agency or class (the start does not move);
 * - `new_deadline`: a new period from a new start (a reopening follow-up, a complaint's conclusion date),
 *   with its own reminders and escalations;
 * - `extend`: the due time moves to an approved later one (`original_due_at` keeps the legal one).
 */
export type ClockEffect = 'none' | 'pause' | 'resume' | 'stop' | 'replan' | 'new_deadline' | 'extend';

/** The status an action leads to: a status, `same` (unchanged), or `paused_from` (where a clarification paused it). */
export type Target = InquiryStatus | 'same' | 'paused_from';

/** One row of the lifecycle table. */
export interface ActionRule {
  /** Statuses the action may start from; the guarded update requires one of them. */
  from: readonly InquiryStatus[];
  to: Target;
  /** Any of these may do it. */
  who: readonly Party[];
  /** The kind of `inquiry_entries` row written (the inquiry's history), if any. */
  entry: EntryKind | null;
  /** The `audit_events.action` written. */
  audit: string;
  clock: ClockEffect;
  /** A response by the agency: stamps `first_response_at` when still empty. */
  responds?: boolean;
  /** Also requires that the inquiry has no rating yet. */
  onlyUnrated?: boolean;
}

/** An inquiry the actor may act on now, by `action`, as `as`; only {@link admit} makes one. */
export interface Admitted<A extends Action = Action> {
  readonly inquiry: Inquiry;
  readonly action: A;
  readonly as: Party;
}

/** Column changes an action writes besides its status and its clock (the answer's handler, the decline's ground). */
export type ActionChanges = Omit<InquiryUpdate, 'id' | 'status' | 'deadline_seq' | 'period_seq' | 'paused_ms' | 'first_response_at'>;

/** What {@link transition} needs beyond the table row. */
export interface TransitionInput {
  set?: ActionChanges;
  /** Text of the entry the table names ('' by default). */
  entryText?: string;
  /** Stored files (`attachments.id`) the entry carries: attached to the inquiry with it. */
  files?: readonly number[];
  /** Extra fields of the audit event (the status before and after are always there). */
  audit?: { before?: Record<string, unknown>; after?: Record<string, unknown> };
  /** Inputs of the clock effect: the new agency (`replan`), class (`replan`), due time (`extend`), conclusion date (`new_deadline`). */
  clock?: { orgId?: number; deadlineClass?: DeadlineClass; dueAt?: Date; concludedOn?: IsoDate };
  /**
   * Writes that belong to the action and happen only if it won (after the guarded update, before
   * the audit); returns extra audit fields, e.g. the id of a row it created.
   */
  alongside?: (inquiry: Inquiry) => Promise<Record<string, unknown> | void>;
}

/** The last thing that changed an inquiry's status: what, by whom, when. */
export interface LastEvent {
  action: Action;
  /** The actor's name; null when the system acted or the person is gone. */
  by: string | null;
  byPersonId: number | null;
  /** ISO-8601 UTC instant. */
  at: string;
}

/** Why an action was refused; nothing changed. */
export type Refusal =
  | { reason: 'not_found' }
  | { reason: 'not_allowed' }
  /** The status does not allow it (someone acted earlier, or it is too early); `last` says what happened. */
  | { reason: 'stale'; inquiry: Inquiry; last: LastEvent | undefined }
  /** Someone else acted between reading the inquiry and changing it. */
  | { reason: 'lost'; inquiry: Inquiry; last: LastEvent | undefined };

/** What {@link transition} did. */
export type TransitionResult =
  | {
    ok: true;
    /** The inquiry after the change (as the update returned it). */
    inquiry: Inquiry;
    /** The inquiry as it was admitted. */
    before: Inquiry;
    /** The deadline rule counts from a complaint's conclusion whose date is not entered yet. */
    awaitsConclusion: boolean;
  }
  | ({ ok: false } & Extract<Refusal, { reason: 'lost' }>);
