import type { Db } from '../../db/client.js';
import { officeHoursJsonByOrg, overridesUpTheTree, type OrgTree } from '../../db/repositories/deadlines.js';
import type { DeadlineClass } from '../../db/schema.js';
import type { DeadlineAssignment, DeadlinePolicy } from '../../flows/deadlines.js';
import type { WorkCalendar } from './calendar.js';
import { toLocalDate } from './local.js';
import { addBusinessMs, businessMs, DEFAULT_OFFICE_HOURS, parseOfficeHours, type OfficeHours } from './office-hours.js';
import { computeDue } from './periods.js';
import { periodStart, pickOverride, ruleFromOverride, selectRule } from './rules.js';
import type { Rule } from './rules-data.js';

/** Options of {@link createDeadlinePolicy}. */
export interface DeadlinePolicyOptions {
  /** Used when a call gives no `db` of its own (a flow always passes its transaction). */
  db: Db;
  /** The legal calendar, read through the call's `db`; called on every computation, so an imported schedule applies at once. */
  loadCalendar: (db: Db) => Promise<WorkCalendar> | WorkCalendar;
  /** The rule table. Default `RULES` (rules-data.ts). */
  rules?: readonly Rule[];
}

/**
 * The deadline arithmetic the flows use (flows/deadlines.ts), over the versioned rules, the
 * agencies' own periods (`deadline_overrides`, nearest organisation up the tree wins) and the
 * legal calendar.
 */
export function createDeadlinePolicy(o: DeadlinePolicyOptions): DeadlinePolicy {
  const ruleFor = async (db: Db, receivedAt: Date, deadlineClass: DeadlineClass, orgId: number | null, tree: OrgTree | undefined): Promise<Rule> => {
    const statutory = selectRule(receivedAt, deadlineClass, o.rules);
    if (orgId === null) return statutory;
    const { chain, overrides } = tree ?? await overridesUpTheTree(db, orgId, deadlineClass);
    const picked = pickOverride(overrides, chain, toLocalDate(receivedAt));
    return picked ? ruleFromOverride(picked, statutory) : statutory;
  };
  const officeHoursOf = async (db: Db, orgId: number | null): Promise<OfficeHours> => {
    if (orgId === null) return DEFAULT_OFFICE_HOURS;
    return parseOfficeHours((await officeHoursJsonByOrg(db, [orgId])).get(orgId) ?? null);
  };
  return {
    async assign({ receivedAt, deadlineClass, orgId, reopenedAt, concludedOn, tree, db = o.db }): Promise<DeadlineAssignment> {
      const rule = await ruleFor(db, receivedAt, deadlineClass, orgId, tree);
      const { fromAt, awaitsConclusion } = periodStart(rule, receivedAt, reopenedAt, concludedOn);
      const dueAt = computeDue(fromAt, rule.amount, rule.unit, await o.loadCalendar(db));
      return { deadlineClass, ruleId: rule.id, legalBasis: rule.legalBasis, dueAt, counting: rule.counting, fromAt, awaitsConclusion };
    },
    /**
     * The pause does not count. `wall` deadlines move by the paused wall time. `working` deadlines
     * move by the office time (the agency's office hours) the pause took: the office time left when
     * the clock stopped is what is left when it restarts. A pause wholly outside office hours
     * (a night, a weekend) moves nothing.
     */
    async resume({ dueAt, pausedAt, resumedAt, counting, orgId, db = o.db }): Promise<Date> {
      const pausedMs = resumedAt.getTime() - pausedAt.getTime();
      if (pausedMs <= 0) return new Date(dueAt);
      if (counting === 'wall') return new Date(dueAt.getTime() + pausedMs);
      const [cal, hours] = [await o.loadCalendar(db), await officeHoursOf(db, orgId)];
      const pausedBusinessMs = businessMs(pausedAt, resumedAt, cal, hours);
      return pausedBusinessMs > 0 ? addBusinessMs(dueAt, pausedBusinessMs, cal, hours) : new Date(dueAt);
    },
    async workingDays(db = o.db): Promise<(date: string) => boolean> {
      const cal = await o.loadCalendar(db);
      return (date) => cal.isWorkingDay(date);
    },
  };
}
