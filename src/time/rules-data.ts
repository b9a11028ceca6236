import type { DeadlineClass, DeadlineCounting, IsoDate, PeriodUnit } from '../../db/schema.js';

/** A legal regime: the set of texts in force for inquiries received in its period (rules.md). */
export type Regime = '2017' | '2026';

/**
 * One versioned deadline rule: the period a class of inquiry gets under one regime. Rules are
 * data, never constants in code; each inquiry stores the id and legal basis it was given.
 */
export interface Rule {
  /** `<regime>.<class>`, e.g. `2026.routine`; stored in `inquiries.rule_id`. */
  id: string;
  regime: Regime;
  deadlineClass: DeadlineClass;
  /** Length of the period, in `unit`s. */
  amount: number;
  unit: PeriodUnit;
  /** `wall` for hour periods (reminded day and night), `working` otherwise (reminded in office hours). */
  counting: DeadlineCounting;
  /** Shown to people and stored in `inquiries.legal_basis` (Vietnamese, citing the article). */
  legalBasis: string;
  /** First local date (Asia/Ho_Chi_Minh) of receipt the rule applies to, inclusive. */
  effectiveFrom: IsoDate;
  /** Local date from which the rule no longer applies (exclusive); absent while in force. */
  effectiveTo?: IsoDate;
  /** True where the number is the network's default, not the law's (rules.md **policy**). */
  policy: boolean;
  /**
   * What the period counts from: `conclusion` — the date of the complaint's conclusion, once
   * entered (D237 Art. 18(2)); absent — the receipt (or the follow-up that reopened the inquiry).
   */
  countsFrom?: 'conclusion';
}

/** Regime 2026 starts here (Decree 244/2026/NĐ-CP replaces Decree 09/2017/NĐ-CP). */
export const REGIME_2026_FROM: IsoDate = '2026-07-01';
/** Regime 2017: the Press Law 2016 took effect on 1 Jan 2017; earlier receipts use it too (see `selectRule`). */
export const REGIME_2017_FROM: IsoDate = '2017-01-01';

const D09 = 'Nghị định 09/2017/NĐ-CP';
const PRESS_LAW_2016 = 'Luật Báo chí 2016 (103/2016/QH13)';
const D244 = 'Nghị định 244/2026/NĐ-CP';
const D237 = 'Nghị định 237/2026/NĐ-CP';

type RuleRow = Omit<Rule, 'id' | 'regime' | 'counting' | 'effectiveFrom' | 'effectiveTo'>;

const RULES_2017: readonly RuleRow[] = [
  { deadlineClass: 'incident', amount: 24, unit: 'hours', policy: false, legalBasis: `${D09}, Điều 6(3)(a)` },
  {
    deadlineClass: 'public_opinion', amount: 24, unit: 'hours', policy: true,
    legalBasis: `${D09}, Điều 6(3) (không quy định số giờ; mặc định của mạng lưới: 24 giờ)`,
  },
  {
    deadlineClass: 'routine', amount: 2, unit: 'working_days', policy: true,
    legalBasis: `Mặc định của mạng lưới: 2 ngày làm việc (${D09} không quy định thời hạn)`,
  },
  { deadlineClass: 'forwarded_petition', amount: 30, unit: 'days', policy: false, legalBasis: `${PRESS_LAW_2016}, Điều 39` },
  {
    deadlineClass: 'complaint_conclusion', amount: 30, unit: 'days', policy: false,
    legalBasis: `${PRESS_LAW_2016}, Điều 39 (như ý kiến, kiến nghị do báo chí chuyển đến)`,
  },
  { deadlineClass: 'press_answer', amount: 30, unit: 'days', policy: false, legalBasis: `${PRESS_LAW_2016}, Điều 39` },
];

const RULES_2026: readonly RuleRow[] = [
  { deadlineClass: 'incident', amount: 24, unit: 'hours', policy: false, legalBasis: `${D244}, Điều 7(3)` },
  { deadlineClass: 'public_opinion', amount: 24, unit: 'hours', policy: false, legalBasis: `${D244}, Điều 7(4)` },
  {
    deadlineClass: 'routine', amount: 2, unit: 'working_days', policy: true,
    legalBasis: `Mặc định của mạng lưới: 2 ngày làm việc; cơ quan có thể quy định riêng trong quy chế phát ngôn (${D244}, Điều 8, Điều 12)`,
  },
  { deadlineClass: 'forwarded_petition', amount: 15, unit: 'working_days', policy: false, legalBasis: `${D237}, Điều 18(3)` },
  { deadlineClass: 'complaint_conclusion', amount: 5, unit: 'working_days', policy: false, legalBasis: `${D237}, Điều 18(2)`, countsFrom: 'conclusion' },
  { deadlineClass: 'press_answer', amount: 30, unit: 'days', policy: false, legalBasis: `${D237}, Điều 18(1)` },
];

/** Hour periods run on the wall clock; day and working-day periods are reminded in office hours. */
export function countingOf(unit: PeriodUnit): DeadlineCounting {
  return unit === 'hours' ? 'wall' : 'working';
}

function expand(regime: Regime, rows: readonly RuleRow[], from: IsoDate, to?: IsoDate): Rule[] {
  return rows.map((r) => ({
    ...r, id: `${regime}.${r.deadlineClass}`, regime, counting: countingOf(r.unit),
    effectiveFrom: from, ...(to ? { effectiveTo: to } : {}),
  }));
}

/** Every deadline rule, oldest regime first (rules.md "Deadline classes"). */
export const RULES: readonly Rule[] = Object.freeze([
  ...expand('2017', RULES_2017, REGIME_2017_FROM, REGIME_2026_FROM),
  ...expand('2026', RULES_2026, REGIME_2026_FROM),
]);
