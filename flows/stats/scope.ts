import type { Role, RoleAssignment } from '../../db/schema.js';
import { subtreeIds } from '../notices/audience.js';

/**
 * Which agencies a person's figures cover: every one, the subtrees under some organisations, or
 * none (no standing to see figures).
 */
export type StatsScope = { kind: 'all' } | { kind: 'orgs'; roots: number[] } | { kind: 'none' };

/** Roles that may read figures, and how far: see {@link statsScope}. */
export const FIGURE_ROLES: readonly Role[] = ['admin', 'leader', 'coordinator', 'spokesperson'];

/**
 * The scope of a person's figures from their active role assignments (issue #15, "who sees what"):
 * an admin, an unscoped leader or an unscoped coordinator everything; a leader or coordinator
 * scoped to an organisation that organisation and everything below it; the head of an agency
 * (spokesperson of kind `head`) their agency and its sub-units. Regular and authorised
 * spokespersons, reporters and contacts: nothing. `allowed` narrows the roles considered
 * (`/stats` is for coordinators and leaders only).
 */
export function statsScope(roles: readonly RoleAssignment[], allowed: readonly Role[] = FIGURE_ROLES): StatsScope {
  const roots = new Set<number>();
  for (const r of roles) {
    if (r.status !== 'active' || !allowed.includes(r.role)) continue;
    if (r.role === 'admin') return { kind: 'all' };
    if (r.role === 'leader' || r.role === 'coordinator') {
      if (r.org_id === null) return { kind: 'all' };
      roots.add(r.org_id);
    }
    if (r.role === 'spokesperson' && r.kind === 'head' && r.org_id !== null) roots.add(r.org_id);
  }
  return roots.size === 0 ? { kind: 'none' } : { kind: 'orgs', roots: [...roots].sort((a, b) => a - b) };
}

/** An organisation as the scope arithmetic needs it. */
export interface OrgNode {
  id: number;
  parent_id: number | null;
}

/** The ids of `roots` and every organisation below them (one walk, shared with the notices' audience). */
export const subtree = subtreeIds;

/**
 * The agency ids a figure covers: the scope, narrowed to the subtree of `focus` when given.
 * Null means every agency (an unscoped reader with no focus). Undefined when `focus` is outside the
 * scope: the reader may not see it, and is refused rather than shown nothing.
 */
export function agencyIds(scope: StatsScope, orgs: readonly OrgNode[], focus?: number): number[] | null | undefined {
  if (scope.kind === 'none') return undefined;
  const allowed = scope.kind === 'all' ? undefined : subtree(orgs, scope.roots);
  if (focus === undefined) return allowed ? [...allowed] : null;
  if (allowed && !allowed.has(focus)) return undefined;
  return [...subtree(orgs, [focus])];
}
