import type { CalendarDayKind } from '../../db/schema.js';

/**
 * One dated entry of the legal calendar (Asia/Ho_Chi_Minh local date).
 * - `holiday`: a paid public holiday (Labour Code 2019 Art. 112);
 * - `day_off`: another non-working day (a day off in lieu, a swapped day, a weekend day the
 *   official schedule lists inside a holiday break);
 * - `makeup_workday`: a weekly rest day that is worked (a make-up Saturday).
 */
export interface CalendarEntry {
  /** `YYYY-MM-DD`. */
  date: string;
  kind: CalendarDayKind;
  name: string;
  /** Where the entry comes from (legal text, decision, or "mặc định" for a computed default). */
  source: string;
}
