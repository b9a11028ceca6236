import type { ColumnType, Generated } from 'kysely';

/**
 * Tables of the leaders' figures (issue #15; migration `2026-12-04-901-stats-rollups`). What each
 * count means is documented where it is computed, in `db/repositories/stats-rollup.ts`.
 */

/** A local day (`YYYY-MM-DD`) whose sums must be recomputed; appended by triggers on `inquiries` and `inquiry_entries`. */
export interface StatsDirtyTable {
  id: Generated<number>;
  day: string;
}

/** `d`: one local day (`period` = `YYYY-MM-DD`); `m`: one local month (`period` = `YYYY-MM`), the sum of its days. */
export type RollupGrain = 'd' | 'm';

/** Sums per grain, agency (`org_id`, else the suggested one; 0 when neither), topic (0: none) and deadline class ('' : none). */
export interface StatsRollupTable {
  grain: RollupGrain;
  period: string;
  org_id: number;
  topic_id: number;
  deadline_class: string;
  received: number;
  r_replied: number;
  r_on_time: number;
  r_on_time_ne: number;
  r_extended: number;
  r_declined_secret: number;
  r_declined_investigation: number;
  r_declined_unresolved: number;
  r_declined_draft_policy: number;
  r_rated_satisfied: number;
  r_rated_acceptable: number;
  r_rated_unsatisfied: number;
  r_followups: number;
  r_fr_count: number;
  /** JSON `{"<bucket minutes>": count}` of first-response office minutes; null when none. */
  r_fr_hist: string | null;
  c_closed: number;
  c_on_time: number;
  c_on_time_ne: number;
}

/**
 * Per grain and agency, the first-response histogram of `stats_rollup` merged over topics and
 * classes (migration `2026-12-06-502`): the league table's per-agency quantiles read it.
 */
export interface StatsFrAgencyTable {
  grain: RollupGrain;
  period: string;
  org_id: number;
  /** JSON `{"<bucket minutes>": count}`, as `stats_rollup.r_fr_hist` (a row only when there is a count). */
  r_fr_hist: string;
}

/** `version`: bumped whenever sums are rewritten (live dashboards poll it). */
export interface StatsMetaTable {
  key: string;
  value: number;
}

/** The column `first_response_office_min` added to `inquiries`. */
export type FirstResponseOfficeMinColumn = ColumnType<number | null, number | null | undefined, number | null>;

/** `scheduled` → `held` (marked by a coordinator after the day) or `cancelled`. */
export type ConferenceStatus = 'scheduled' | 'held' | 'cancelled';

/** A press conference (họp báo) a coordinator scheduled. */
export interface PressConferencesTable {
  id: Generated<number>;
  /** `HB-<id>`. */
  code: string | null;
  title: string;
  starts_at: string;
  /** A place, or a link for an online conference. */
  place: string;
  /** Free text: what it is about. */
  topics: string;
  /** The organisation holding it (a ministry, a province's people's committee or its department). */
  host_org_id: number;
  status: ConferenceStatus;
  /** The announcement to accredited reporters (notices engine). */
  notice_id: number | null;
  created_by_person_id: number | null;
  held_at: string | null;
  held_by_person_id: number | null;
  created_at: string;
  updated_at: string;
}

/** The agencies presenting at a conference (questions are routed to one of them). */
export interface PressConferenceAgenciesTable {
  conference_id: number;
  org_id: number;
}

/** A reporter registered to attend. */
export interface PressConferenceRegistrationsTable {
  conference_id: number;
  person_id: number;
  created_at: string;
}

/** `pending` until the conference; then `answered` (on the day) or `converted` (became inquiry `inquiry_id`). */
export type ConferenceQuestionStatus = 'pending' | 'answered' | 'converted';

/** A question a reporter sent in advance, routed to a presenting agency. */
export interface PressConferenceQuestionsTable {
  id: Generated<number>;
  conference_id: number;
  person_id: number;
  identity_id: number;
  org_id: number;
  question: string;
  /** The reporter's message that carried the question (an inquiry made of it threads under it). */
  message_id: string;
  status: ConferenceQuestionStatus;
  inquiry_id: number | null;
  created_at: string;
  updated_at: string;
}

/** What came of a correction request. */
export type CorrectionOutcome = 'pending' | 'corrected' | 'apologised' | 'refused' | 'no_response';
export const CORRECTION_OUTCOMES: readonly CorrectionOutcome[] = ['pending', 'corrected', 'apologised', 'refused', 'no_response'];

/** A written request to a press outlet to correct false information (Decree 244 Art. 7(6)). */
export interface CorrectionRequestsTable {
  id: Generated<number>;
  /** `CC-<id>`. */
  code: string | null;
  org_id: number;
  recorded_by_person_id: number | null;
  outlet_id: number | null;
  outlet_name: string;
  /** The article: title and/or link. */
  article: string;
  published_on: string;
  requested_on: string;
  grounds: string;
  outcome: CorrectionOutcome;
  outcome_note: string | null;
  outcome_on: string | null;
  /** The attached official letter, once attachments exist (issue #13): its reference. */
  document_ref: string | null;
  created_at: string;
  updated_at: string;
}

/** A statement an agency published on its own initiative about an event (24-hour rule). */
export interface StatementsTable {
  id: Generated<number>;
  /** `TB-<id>`. */
  code: string | null;
  org_id: number;
  recorded_by_person_id: number | null;
  title: string;
  /** When the event happened or became known: the 24 hours run from here. */
  event_at: string;
  published_at: string;
  link: string | null;
  created_at: string;
  updated_at: string;
}
