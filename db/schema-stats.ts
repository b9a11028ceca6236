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

/** `version`: bumped whenever sums are rewritten (live dashboards poll it). */
export interface StatsMetaTable {
  key: string;
  value: number;
}

/** The column `first_response_office_min` added to `inquiries`. */
export type FirstResponseOfficeMinColumn = ColumnType<number | null, number | null | undefined, number | null>;
