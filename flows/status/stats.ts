import { findOrg } from '../../db/repositories/directory.js';
import { dayStartIso, refreshRollups } from '../../db/repositories/stats-rollup.js';
import { listOrgEntries, openAt, sumRollups } from '../../db/repositories/stats-figures.js';
import { localDate } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { orgName } from '../inquiry/view.js';
import { splitOpen } from '../stats/measures.js';
import { monthEnd, shiftDay } from '../stats/periods.js';
import { agencyIds, statsScope } from '../stats/scope.js';

/** One agency's live numbers. */
export interface StatsLine {
  org: string;
  received: number;
  replied: number;
  onTime: number;
  overdueOpen: number;
}

/**
 * `/stats` for coordinators and leaders: per agency, inquiries received this month, of them replied
 * and replied on time, and open past their due time now — the worst first. Scoped to the actor's
 * organisations. The measures are `flows/stats/measures.ts`'s, read from the daily sums.
 */
export async function onStats(ctx: FlowContext): Promise<void> {
  const scope = statsScope(ctx.actor.roles, ['coordinator', 'leader']);
  const orgIds = agencyIds(scope, await listOrgEntries(ctx.db));
  if (orgIds === undefined) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  const monthStart = `${localDate(ctx.now).slice(0, 8)}01`;
  const range = { from: monthStart, to: monthEnd(monthStart) };
  await refreshRollups(ctx.db);
  const filter = { orgIds };
  const sums = await sumRollups(ctx.db, range, filter, ['org']);
  const open = await openAt(ctx.db, dayStartIso(shiftDay(range.to, 1)), ctx.nowIso, filter);
  const byOrg = new Map<number, StatsLine>();
  const line = (orgId: number) => byOrg.get(orgId) ?? byOrg.set(orgId, { org: String(orgId), received: 0, replied: 0, onTime: 0, overdueOpen: 0 }).get(orgId)!;
  for (const s of sums) {
    if (s.received === 0) continue;
    Object.assign(line(s.org_id ?? 0), { received: s.received, replied: s.r_replied, onTime: s.r_on_time });
  }
  for (const r of open) {
    if (r.org_id !== 0 && splitOpen([r], ctx.now.getTime(), 0).late === 1) line(r.org_id).overdueOpen += 1;
  }
  const lines = [...byOrg.entries()].filter(([id]) => id !== 0)
    .sort(([, a], [, b]) => b.overdueOpen - a.overdueOpen || a.onTime / (a.replied || 1) - b.onTime / (b.replied || 1));
  const named = await Promise.all(lines.map(async ([id, l]) => ({ ...l, orgRow: await findOrg(ctx.db, id) })));
  await ctx.reply((t) => ({ text: t.stats(monthStart.slice(0, 7), named.map((l) => ({ ...l, org: orgName(l.orgRow, t) }))) }));
}
