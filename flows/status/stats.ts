import { findOrg, orgAncestorIds } from '../../db/repositories/directory.js';
import { OPEN_INQUIRY_STATUSES } from '../../db/schema.js';
import { localDate } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { orgName } from '../inquiry/view.js';
import { coordinates } from '../roles.js';

/** One agency's live numbers. */
export interface StatsLine {
  org: string;
  received: number;
  replied: number;
  onTime: number;
  overdueOpen: number;
}


/**
 * `/stats` for coordinators and leaders: per agency, inquiries received this month, replied, replied
 * on time, and open past their due time now — the worst first. Scoped to the actor's organisations.
 */
export async function onStats(ctx: FlowContext): Promise<void> {
  const mine = ctx.actor.roles.filter((r) => (r.role === 'coordinator' || r.role === 'leader') && r.status === 'active');
  if (mine.length === 0) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  const monthStart = `${localDate(ctx.now).slice(0, 8)}01`;
  const rows = await ctx.db.selectFrom('inquiries')
    .select(['org_id', 'suggested_org_id', 'status', 'received_at', 'due_at', 'answered_at', 'closed_at'])
    .where('status', 'not in', ['merged', 'rejected', 'withdrawn'])
    // Open ones (for "overdue now") and this month's; not the whole history.
    .where((eb) => eb.or([eb('status', 'in', OPEN_INQUIRY_STATUSES), eb('received_at', '>=', monthStartInstant(monthStart))]))
    .execute();
  const byOrg = new Map<number, StatsLine>();
  const scope = new Map<number, boolean>();
  for (const r of rows) {
    const orgId = r.org_id ?? r.suggested_org_id;
    if (orgId === null) continue;
    if (!scope.has(orgId)) scope.set(orgId, await inScope(ctx, orgId));
    if (!scope.get(orgId)) continue;
    const line = byOrg.get(orgId) ?? { org: String(orgId), received: 0, replied: 0, onTime: 0, overdueOpen: 0 };
    byOrg.set(orgId, line);
    if (OPEN_INQUIRY_STATUSES.includes(r.status) && r.due_at && r.due_at < ctx.nowIso) line.overdueOpen += 1;
    if (localDate(new Date(r.received_at)) < monthStart) continue;
    line.received += 1;
    const repliedAt = r.status === 'answered' || r.status === 'declined' ? (r.answered_at ?? r.closed_at) : null;
    if (repliedAt) {
      line.replied += 1;
      if (r.due_at && repliedAt <= r.due_at) line.onTime += 1;
    }
  }
  const lines = [...byOrg.entries()].sort(([, a], [, b]) => b.overdueOpen - a.overdueOpen || a.onTime / (a.replied || 1) - b.onTime / (b.replied || 1));
  const named = await Promise.all(lines.map(async ([id, l]) => ({ ...l, orgRow: await findOrg(ctx.db, id) })));
  await ctx.reply((t) => ({ text: t.stats(monthStart.slice(0, 7), named.map((l) => ({ ...l, org: orgName(l.orgRow, t) }))) }));
}

/** 00:00 in Vietnam (UTC+7, no daylight saving) of a local date, as a UTC ISO instant. */
function monthStartInstant(localDay: string): string {
  return new Date(`${localDay}T00:00:00+07:00`).toISOString();
}

async function inScope(ctx: FlowContext, orgId: number): Promise<boolean> {
  if (ctx.actor.roles.some((r) => r.role === 'leader' && r.status === 'active' && r.org_id === null)) return true;
  if (await coordinates(ctx.db, ctx.actor, orgId)) return true;
  const leaders = ctx.actor.roles.filter((r) => r.role === 'leader' && r.status === 'active' && r.org_id !== null);
  if (leaders.length === 0) return false;
  const chain = await orgAncestorIds(ctx.db, orgId);
  return leaders.some((r) => chain.includes(r.org_id as number));
}
