import type { ColumnType, Generated } from 'kysely';
import type { Platform } from '../../adapters/types.js';
import type { IsoDate, IsoInstant } from './common.js';
import type { DeadlineClass, DeadlineCounting } from './deadlines.js';
import type { FirstResponseOfficeMinColumn } from './figures.js';

/** Inquiries, their entries and the platform messages that refer to them. */

export type InquiryStatus =
  | 'screening'     // waiting for the coordinating office
  | 'assigned'      // routed to an agency, nobody acknowledged yet
  | 'acknowledged'  // a spokesperson took it
  | 'clarifying'    // waiting for the reporter's clarification
  | 'answered'
  | 'declined'      // by the agency, with a statutory ground
  | 'rejected'      // by the coordinator, out of scope
  | 'merged'        // folded into another inquiry
  | 'withdrawn';    // by the reporter

export const OPEN_INQUIRY_STATUSES: readonly InquiryStatus[] = ['screening', 'assigned', 'acknowledged', 'clarifying'];

export type DeclineGround = 'secret' | 'investigation' | 'unresolved' | 'draft_policy';

export const DECLINE_GROUNDS: readonly DeclineGround[] = ['secret', 'investigation', 'unresolved', 'draft_policy'];

export type Rating = 'satisfied' | 'acceptable' | 'unsatisfied';

export const RATINGS: readonly Rating[] = ['satisfied', 'acceptable', 'unsatisfied'];

export type EntryKind =
  | 'question' | 'answer' | 'clarification_request' | 'clarification_reply'
  | 'followup' | 'decline' | 'rejection' | 'transfer' | 'merge' | 'withdrawal' | 'conclusion'
  /** A corrected answer (the `answer` entry before it keeps the first version). */
  | 'answer_correction';

/** What a stored platform message is, so a reply to it can be routed without parsing text. */
export type MessageRefKind =
  | 'question'        // the reporter's original question
  | 'staff_notice'    // the inquiry as sent to a spokesperson (reply = answer)
  | 'screening_notice'// the inquiry as sent to a coordinator
  | 'answer'          // the answer in the reporter's chat (reply = follow-up)
  | 'clarification'   // a spokesperson's question in the reporter's chat (reply = clarification)
  | 'followup_notice' // a follow-up or clarification reply as sent to staff (reply = answer)
  | 'followup'        // the reporter's own follow-up message (the answer to it replies to it)
  | 'info';

export interface InquiriesTable {
  id: Generated<number>;
  code: string | null;
  reporter_person_id: number;
  reporter_identity_id: number;
  /** Where the question was asked, and its platform message id (answers reply to it). */
  origin_chat_id: string;
  origin_message_id: string;
  topic_id: number | null;
  org_id: number | null;
  suggested_org_id: number | null;
  status: InquiryStatus;
  question: string;
  received_at: IsoInstant;
  /** Filled by the deadline rules (issue 3). */
  deadline_class: DeadlineClass | null;
  rule_id: string | null;
  legal_basis: string | null;
  due_at: IsoInstant | null;
  urgent_requested: number;
  merged_into_id: number | null;
  decline_ground: DeclineGround | null;
  decline_reason: string | null;
  reject_reason: string | null;
  /** The spokesperson who acknowledged or answered; follow-ups go back to them. */
  handler_person_id: number | null;
  acknowledged_at: IsoInstant | null;
  first_response_at: IsoInstant | null;
  answered_at: IsoInstant | null;
  closed_at: IsoInstant | null;
  /** Status to return to when the reporter answers a clarification. */
  resume_status: InquiryStatus | null;
  rating: Rating | null;
  rated_at: IsoInstant | null;
  /** `wall` or `working`, from the rule (decides when reminders may be sent). */
  deadline_counting: DeadlineCounting | null;
  /** The due time before any approved extension (on-time-without-extension reports). */
  original_due_at: IsoInstant | null;
  /** Set while the clock is paused (waiting for the reporter's clarification). */
  paused_at: IsoInstant | null;
  /** Total paused time so far, in ms. */
  paused_ms: Generated<number>;
  /** Bumped whenever the deadline moves; part of deadline job ids so old jobs are recognisably stale. */
  deadline_seq: Generated<number>;
  /** 1 once a coordinator confirmed or changed the class. */
  class_confirmed: Generated<number>;
  /** When a follow-up last reopened the answered inquiry; its new period counts from here. */
  reopened_at: ColumnType<IsoInstant | null, IsoInstant | null | undefined, IsoInstant | null>;
  /** The complaint's conclusion date, as entered (`complaint_conclusion` counts from it under the 2026 regime). */
  conclusion_on: ColumnType<IsoDate | null, IsoDate | null | undefined, IsoDate | null>;
  /** The instant the current due time is counted from; null: `received_at`. */
  clock_from_at: ColumnType<IsoInstant | null, IsoInstant | null | undefined, IsoInstant | null>;
  /** The `deadline_seq` at which the current period began (steps fired before it do not count). */
  period_seq: Generated<number>;
  /** Office minutes from receipt to the first response, in the agency's office hours (filled by the figures' refresh). */
  first_response_office_min: FirstResponseOfficeMinColumn;
  /** The question lower case without diacritics (`searchText()`), for search; null only before it is set. */
  search_text: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface InquiryEntriesTable {
  id: Generated<number>;
  inquiry_id: number;
  kind: EntryKind;
  author_person_id: number | null;
  text: string;
  created_at: IsoInstant;
}

export interface MessageRefsTable {
  id: Generated<number>;
  platform: Platform;
  chat_id: string;
  message_id: string;
  inquiry_id: number;
  kind: MessageRefKind;
  /** The person who received (or wrote) the message. */
  person_id: number | null;
  created_at: IsoInstant;
}

/** A reporter following another reporter's question (issue #14): they receive its answer too. */
export interface InquiryFollowersTable {
  person_id: number;
  inquiry_id: number;
  created_at: IsoInstant;
  /** The answer (`answered_at`) or decline instant last delivered to this follower; null: none yet. */
  notified_at: IsoInstant | null;
}
