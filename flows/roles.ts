import type { Db } from '../db/client.js';
import type { SpokespersonAssignment } from '../db/repositories/agency-recipients.js';
import { activeRoleHolderIds, authorisedSpokespersonIds, orgAncestorIds, personIdsWithRole } from '../db/repositories/directory.js';
import type { Inquiry, IsoDate, Role, RoleAssignment } from '../db/schema.js';
import type { Actor } from './context.js';

/** Active roles (verified, in force) of the actor, without duplicates. */
export function activeRoles(actor: Actor): Role[] {
  return [...new Set(actor.roles.filter((r) => r.status === 'active').map((r) => r.role))];
}

/** The actor's reporter standing: none, pending verification, rejected, or active. */
export function reporterStanding(actor: Actor): 'none' | 'pending' | 'rejected' | 'active' {
  const reporter = actor.roles.filter((r) => r.role === 'reporter');
  if (reporter.some((r) => r.status === 'active')) return 'active';
  if (reporter.some((r) => r.status === 'pending')) return 'pending';
  if (reporter.some((r) => r.status === 'rejected')) return 'rejected';
  return 'none';
}

function active(roles: RoleAssignment[], role: Role): RoleAssignment[] {
  return roles.filter((r) => r.role === role && r.status === 'active');
}

/**
 * May the actor act as spokesperson on this inquiry? A regular spokesperson or head whose scope
 * organisation is the inquiry's agency or one of its ancestors; an authorised person only for
 * their one case.
 */
export async function canSpeakFor(db: Db, actor: Pick<Actor, 'roles'>, inquiry: Inquiry): Promise<boolean> {
  const mine = active(actor.roles, 'spokesperson');
  if (mine.some((r) => r.kind === 'authorised' && r.case_inquiry_id === inquiry.id)) return true;
  if (inquiry.org_id === null) return false;
  const scope = await orgAncestorIds(db, inquiry.org_id);
  return mine.some((r) => r.kind !== 'authorised' && r.org_id !== null && scope.includes(r.org_id));
}

/** Does the actor coordinate (screen, verify) for this organisation? Unscoped coordinators cover all. */
export async function coordinates(db: Db, actor: Pick<Actor, 'roles'>, orgId: number | null): Promise<boolean> {
  const mine = active(actor.roles, 'coordinator');
  if (mine.some((r) => r.org_id === null)) return true;
  if (orgId === null) return mine.length > 0;
  const scope = await orgAncestorIds(db, orgId);
  return mine.some((r) => r.org_id !== null && scope.includes(r.org_id));
}

/** Coordinators responsible for an organisation (its ancestors' coordinators, and unscoped ones). */
export async function coordinatorsFor(db: Db, orgId: number | null, today: IsoDate): Promise<number[]> {
  const scope = orgId === null ? [] : await orgAncestorIds(db, orgId);
  const found = await personIdsWithRole(db, 'coordinator', scope, today, true);
  if (found.length > 0 || orgId !== null) return found.map((f) => f.personId);
  return (await personIdsWithRole(db, 'coordinator', [], today, true)).map((f) => f.personId);
}

/** All active coordinators (reporter verification goes to them). */
export async function allCoordinators(db: Db, today: IsoDate): Promise<number[]> {
  return activeRoleHolderIds(db, 'coordinator', today);
}

/**
 * Who receives an inquiry at its agency: regular spokespersons and those authorised for this
 * case; the head of agency only when the agency has neither.
 */
export async function spokespersonsFor(db: Db, inquiry: Inquiry, today: IsoDate): Promise<number[]> {
  if (inquiry.org_id === null) return [];
  const all = await personIdsWithRole(db, 'spokesperson', [inquiry.org_id], today);
  const authorised = await authorisedSpokespersonIds(db, inquiry.id);
  return chooseSpokespersons([
    ...all.map((p) => ({ personId: p.personId, kind: p.kind, atAgency: true, forCase: false })),
    ...authorised.map((personId) => ({ personId, kind: 'authorised', atAgency: false, forCase: true })),
  ]);
}

/** {@link spokespersonsFor} from assignments already read (`agencyRecipients`). */
export function chooseSpokespersons(assignments: readonly SpokespersonAssignment[]): number[] {
  const atAgency = assignments.filter((a) => a.atAgency);
  const regular = atAgency.filter((a) => a.kind === 'regular').map((a) => a.personId);
  const authorised = assignments.filter((a) => a.forCase).map((a) => a.personId);
  const chosen = [...new Set([...regular, ...authorised])];
  return chosen.length > 0 ? chosen : atAgency.filter((a) => a.kind === 'head').map((a) => a.personId);
}
