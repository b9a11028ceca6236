import { findOrg, listRoutableOrgs, orgIdsWithReceivers, orgParents, ROUTABLE_ORG_TYPES } from '../../db/repositories/directory.js';
import type { Inquiry, IsoDate, Org } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import type { TargetProblem } from '../copy/lifecycle-types.js';
import { coordinates } from '../roles.js';

/** Who is sending the inquiry on: a spokesperson transferring it, or a coordinator routing it. */
export type Sender = 'spokesperson' | 'coordinator';

function inForce(org: Org, today: IsoDate): boolean {
  return (org.valid_from === null || org.valid_from <= today) && (org.valid_to === null || org.valid_to >= today);
}

/** Is `orgId` under one of `scopes` (itself or a descendant), by the parent map? */
function under(orgId: number, scopes: ReadonlySet<number>, parents: ReadonlyMap<number, number | null>): boolean {
  const seen = new Set<number>();
  for (let id: number | null | undefined = orgId; id !== null && id !== undefined && !seen.has(id); id = parents.get(id)) {
    if (scopes.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/** The coordinator's scopes, or `all` for an unscoped coordinator. */
function coordinatorScopes(ctx: FlowContext): Set<number> | 'all' {
  const mine = ctx.actor.roles.filter((r) => r.role === 'coordinator' && r.status === 'active');
  if (mine.some((r) => r.org_id === null)) return 'all';
  return new Set(mine.flatMap((r) => (r.org_id === null ? [] : [r.org_id])));
}

/**
 * The agencies the actor may send this inquiry to (the menu of a transfer or a re-route): in force
 * today, routable, not its current agency, with a spokesperson or head to receive it; for a
 * coordinator, within their scope. Three reads whatever the network's size.
 */
export async function addressableOrgs(ctx: FlowContext, inquiry: Inquiry, as: Sender): Promise<Org[]> {
  const orgs = (await listRoutableOrgs(ctx.db, ctx.today)).filter((o) => o.id !== inquiry.org_id);
  const receivers = await orgIdsWithReceivers(ctx.db, orgs.map((o) => o.id), ctx.today);
  const reachable = orgs.filter((o) => receivers.has(o.id));
  const scopes = as === 'coordinator' ? coordinatorScopes(ctx) : 'all';
  if (scopes === 'all') return reachable;
  const parents = await orgParents(ctx.db);
  return reachable.filter((o) => under(o.id, scopes, parents));
}

/**
 * Checks one chosen agency (a button payload can be forged or stale): it exists, is in force and
 * routable, is not the inquiry's current agency, has someone to receive it, and — for a
 * coordinator — is within their scope.
 */
export async function checkTarget(ctx: FlowContext, inquiry: Inquiry, orgId: number, as: Sender): Promise<{ org: Org } | { problem: TargetProblem; org?: Org }> {
  const found = await findTarget(ctx, inquiry, orgId, as);
  // A refused target is most often a forged or stale button: keep a trace of it.
  if ('problem' in found) await ctx.effects.audit('inquiry.target_refused', 'inquiry', inquiry.id, null, { org_id: orgId, as, problem: found.problem });
  return found;
}

async function findTarget(ctx: FlowContext, inquiry: Inquiry, orgId: number, as: Sender): Promise<{ org: Org } | { problem: TargetProblem; org?: Org }> {
  const org = Number.isSafeInteger(orgId) && orgId > 0 ? await findOrg(ctx.db, orgId) : undefined;
  if (!org) return { problem: 'unknown' };
  if (org.id === inquiry.org_id) return { problem: 'same', org };
  if (!inForce(org, ctx.today) || !ROUTABLE_ORG_TYPES.includes(org.type)) return { problem: 'inactive', org };
  if (!(await orgIdsWithReceivers(ctx.db, [org.id], ctx.today)).has(org.id)) return { problem: 'no_receiver', org };
  if (as === 'coordinator' && !(await coordinates(ctx.db, ctx.actor, org.id))) return { problem: 'out_of_scope', org };
  return { org };
}
