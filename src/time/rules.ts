import type { DeadlineClass, DeadlineOverride, IsoDate } from '../../db/schema.js';
import { localMidnight, toLocalDate } from './local.js';
import { countingOf, RULES, type Rule } from './rules-data.js';

export { countingOf, REGIME_2017_FROM, REGIME_2026_FROM, RULES, type Regime, type Rule } from './rules-data.js';

function inForce(from: IsoDate | null | undefined, to: IsoDate | null | undefined, date: IsoDate, toExclusive: boolean): boolean {
  if (from && date < from) return false;
  if (!to) return true;
  return toExclusive ? date < to : date <= to;
}

/**
 * The rule for an inquiry of `deadlineClass` received at `receivedAt`: the regime is chosen by the
 * local date of receipt (regime `2026` from 2026-07-01). A receipt older than every regime gets the
 * oldest one (the bot never refuses to give a deadline). `rules` defaults to {@link RULES}.
 */
export function selectRule(receivedAt: Date, deadlineClass: DeadlineClass, rules: readonly Rule[] = RULES): Rule {
  const date = toLocalDate(receivedAt);
  const ofClass = rules.filter((r) => r.deadlineClass === deadlineClass);
  const found = ofClass.find((r) => inForce(r.effectiveFrom, r.effectiveTo, date, true))
    ?? [...ofClass].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
  if (!found) throw new RangeError(`no deadline rule for class ${deadlineClass}`);
  return found;
}

/** Is an agency override in force for an inquiry received on local date `date`? (`valid_to` inclusive.) */
export function overrideInForce(o: DeadlineOverride, date: IsoDate): boolean {
  return inForce(o.valid_from, o.valid_to, date, false);
}

/**
 * An agency's own period (its internal spokesperson regulation) as a rule: id `override.<row id>`,
 * the regime of the statutory rule it replaces, counting from its unit.
 */
export function ruleFromOverride(o: DeadlineOverride, statutory: Rule): Rule {
  return {
    id: `override.${o.id}`, regime: statutory.regime, deadlineClass: o.deadline_class, amount: o.amount, unit: o.unit,
    counting: countingOf(o.unit), legalBasis: o.legal_basis, effectiveFrom: o.valid_from ?? statutory.effectiveFrom,
    ...(o.valid_to ? { effectiveTo: o.valid_to } : {}), policy: true,
    // An agency may shorten or lengthen the period, not change what it counts from.
    ...(statutory.countsFrom ? { countsFrom: statutory.countsFrom } : {}),
  };
}

/**
 * Picks the override for an inquiry: `byOrg` maps organisation id → its overrides of the class;
 * `orgChain` is the inquiry's organisation then its ancestors, nearest first. The nearest
 * organisation with an override in force wins; among its own rows, the latest `valid_from`.
 */
export function pickOverride(byOrg: ReadonlyMap<number, readonly DeadlineOverride[]>, orgChain: readonly number[], date: IsoDate): DeadlineOverride | undefined {
  for (const orgId of orgChain) {
    const live = (byOrg.get(orgId) ?? []).filter((o) => overrideInForce(o, date));
    if (live.length > 0) return [...live].sort((a, b) => (b.valid_from ?? '').localeCompare(a.valid_from ?? '') || b.id - a.id)[0];
  }
  return undefined;
}

/** What a period is counted from, and whether it still waits for a conclusion date. */
export interface PeriodStart {
  fromAt: Date;
  awaitsConclusion: boolean;
}

/**
 * The instant a rule's period counts from (README "Deadlines", **policy** where the law is
 * silent): the latest of the follow-up that reopened the inquiry and — for a rule that counts from
 * a complaint's conclusion — 00:00 of the conclusion date; with neither, the receipt. A rule that
 * counts from a conclusion not yet entered counts from receipt meanwhile (`awaitsConclusion`).
 */
export function periodStart(rule: Pick<Rule, 'countsFrom'>, receivedAt: Date, reopenedAt?: Date | null, concludedOn?: IsoDate | null): PeriodStart {
  const fromConclusion = rule.countsFrom === 'conclusion';
  const candidates = [
    ...(reopenedAt ? [reopenedAt.getTime()] : []),
    ...(fromConclusion && concludedOn ? [localMidnight(concludedOn).getTime()] : []),
  ];
  const awaitsConclusion = fromConclusion && !concludedOn;
  return { fromAt: new Date(candidates.length > 0 ? Math.max(...candidates) : receivedAt.getTime()), awaitsConclusion };
}
