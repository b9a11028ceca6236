import type { HttpRequest } from '../../adapters/types.js';
import { readCookie, slotPaths } from '../../adapters/web/http.js';
import type { SessionManager, WebSession } from '../../adapters/web/sessions.js';
import type { Db } from '../../db/client.js';
import { rolesOf } from '../../db/repositories/directory.js';
import type { InboxFilter } from '../../db/repositories/inbox.js';
import { listOrgEntries, personOfWebOwner } from '../../db/repositories/stats-figures.js';
import type { Inquiry, RoleAssignment } from '../../db/schema.js';
import { localDate } from '../../flows/copy/format.js';
import { canSpeakFor, coordinates } from '../../flows/roles.js';
import { subtree } from '../../flows/stats/scope.js';

/** What a person's inbox holds, by their roles today. */
export interface InboxScope {
  personId: number;
  roles: RoleAssignment[];
  isReporter: boolean;
  /** Spokesperson scope: the agencies under their regular/head assignments, and their authorised cases; undefined: not a spokesperson. */
  speaks?: { agencyIds: number[]; caseIds: number[] };
  /** Coordinator scope: null every agency; undefined: not a coordinator. */
  coordinates?: number[] | null;
}

/**
 * Who is using the inbox, and what they may see. Resolved on every request from the slot's web
 * session (the same cookie, session and expiry as the chat page's API), so a role revoked or a
 * session expired takes effect at once.
 */
export interface InboxReader extends InboxScope {
  session: WebSession;
  locale: string | null;
}

/** `undefined`: no live session; `null`: signed in as nobody in the directory. */
export async function resolveReader(db: Db, sessions: SessionManager, req: HttpRequest, slot: number, now: Date): Promise<InboxReader | null | undefined> {
  const token = readCookie(req.headers.cookie, slotPaths(slot).cookieName);
  const session = token === undefined ? undefined : await sessions.get(token, slot);
  if (!session) return undefined;
  const person = await personOfWebOwner(db, session.ownerId);
  if (!person) return null;
  return { session, locale: person.locale, ...(await scopeOf(db, person.id, now)) };
}

/** Person `personId`'s inbox scope by their active roles on `now`'s local day. */
export async function scopeOf(db: Db, personId: number, now: Date): Promise<InboxScope> {
  const roles = (await rolesOf(db, personId, localDate(now))).filter((r) => r.status === 'active');
  const scope: InboxScope = { personId, roles, isReporter: roles.some((r) => r.role === 'reporter') };
  const spokes = roles.filter((r) => r.role === 'spokesperson');
  const coords = roles.filter((r) => r.role === 'coordinator');
  if (spokes.length > 0 || coords.length > 0) {
    const orgs = await listOrgEntries(db);
    if (spokes.length > 0) {
      const roots = spokes.filter((r) => r.kind !== 'authorised' && r.org_id !== null).map((r) => r.org_id as number);
      scope.speaks = { agencyIds: [...subtree(orgs, roots)], caseIds: spokes.filter((r) => r.kind === 'authorised' && r.case_inquiry_id !== null).map((r) => r.case_inquiry_id as number) };
    }
    if (coords.length > 0) scope.coordinates = coords.some((r) => r.org_id === null) ? null : [...subtree(orgs, coords.map((r) => r.org_id as number))];
  }
  return scope;
}

/** Everything this reader may search: their own questions, their agencies' and their coordinated scope's inquiries. */
export function searchScopes(r: InboxReader): InboxFilter[] {
  const scopes: InboxFilter[] = [];
  if (r.isReporter) scopes.push({ reporterPersonId: r.personId });
  if (r.speaks) scopes.push({ agencyIds: r.speaks.agencyIds, caseIds: r.speaks.caseIds });
  if (r.coordinates !== undefined) scopes.push(r.coordinates === null ? {} : { agencyIds: r.coordinates });
  return scopes;
}

/**
 * May this reader open inquiry `inquiry`'s thread? The asking reporter; a spokesperson who may act
 * for it (`canSpeakFor`); a coordinator whose scope covers its agency (`coordinates`) — the same
 * checks the flows make before any action.
 */
export async function maySee(db: Db, r: InboxReader, inquiry: Inquiry): Promise<boolean> {
  if (inquiry.reporter_person_id === r.personId) return true;
  if (r.speaks && (await canSpeakFor(db, r, inquiry))) return true;
  return r.coordinates !== undefined && (await coordinates(db, r, inquiry.org_id ?? inquiry.suggested_org_id));
}
