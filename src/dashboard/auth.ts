import type { HttpRequest } from '../../adapters/types.js';
import { readCookie, slotPaths, type SlotPaths } from '../../adapters/web/http.js';
import { createSessionManager, type SessionManager } from '../../adapters/web/sessions.js';
import type { Db } from '../../db/client.js';
import { rolesOf } from '../../db/repositories/directory.js';
import { listOrgEntries, personOfWebOwner, type OrgEntry } from '../../db/repositories/stats-figures.js';
import { createWebStore } from '../../db/repositories/web.js';
import type { Role } from '../../db/schema.js';
import { localDate } from '../../flows/copy/format.js';
import { agencyIds, statsScope, subtree, type StatsScope } from '../../flows/stats/scope.js';

/**
 * Who is reading the dashboard. The dashboard has no sign-in of its own: its API lives under each
 * web sign-in slot's API path (`/web/u/<n>/api/dashboard/…`, slot 0 `/web/api/dashboard/…`), so
 * the browser sends it that slot's session cookie exactly as it does to the chat page's API — the
 * cookie stays scoped to its slot's path, and the session is the web channel's own (hashed in the
 * database, idle and absolute expiry). The person behind the session's web identity, and their
 * roles today, decide the scope; every route checks it on the server.
 */
export interface Reader {
  personId: number;
  /** The web page's owner id of the session (its web identity's platform user id). */
  ownerId: string;
  /** The session's CSRF token: every POST (the dashboard's forms) must carry it in `x-csrf-token`. */
  csrfToken: string;
  name: string;
  locale: string | null;
  roles: Role[];
  scope: StatsScope;
  /** The agency ids this reader may see; null: every one. */
  agencyIds: number[] | null;
  /** The organisations this reader may filter by (their scope's subtrees), for the filter list. */
  orgs: OrgEntry[];
  /**
   * A regular spokesperson: no figures, only the forms (correction requests, statements, which the
   * flows record for their own agency) and the records table of their agency (`scope` is it).
   */
  recordsOnly: boolean;
}

/** Resolves readers from requests; one per process. */
export interface ReaderResolver {
  /**
   * `undefined`: no live session in this slot; `null`: signed in, but no standing to read figures
   * nor to record (see `recordsOnly`); `'pending'`: signed in with an invite whose binding to its
   * person the bot's flow has not committed yet (a moment after the sign-in answered).
   */
  resolve(req: HttpRequest, slot: number): Promise<Reader | null | undefined | 'pending'>;
  readonly paths: (slot: number) => SlotPaths;
}

/** Options of {@link createReaderResolver}: the web sessions' lifetimes (`WEB_SESSION_*`). */
export interface ReaderOptions {
  db: Db;
  idleTimeoutMs: number;
  maxAgeMs: number;
  /** Epoch milliseconds. */
  now(): number;
}

/** Creates the resolver: slot cookie → web session → web identity → person → roles today → scope. */
export function createReaderResolver(o: ReaderOptions): ReaderResolver {
  const sessions: SessionManager = createSessionManager({ store: createWebStore(o.db), idleTimeoutMs: o.idleTimeoutMs, maxAgeMs: o.maxAgeMs, now: o.now });
  return {
    paths: slotPaths,
    async resolve(req, slot) {
      const token = readCookie(req.headers.cookie, slotPaths(slot).cookieName);
      const session = token === undefined ? undefined : await sessions.get(token, slot);
      if (!session) return undefined;
      const person = await personOfWebOwner(o.db, session.ownerId);
      // A session is only made for a live code (adapters/web/sign-in.ts), so one without its
      // person is an invite still being bound by the flow, not a stranger.
      if (!person) return 'pending';
      const roles = (await rolesOf(o.db, person.id, localDate(new Date(o.now())))).filter((r) => r.status === 'active');
      const all = await listOrgEntries(o.db);
      const figures = statsScope(roles);
      const recordsOnly = agencyIds(figures, all) === undefined;
      const own = roles.flatMap((r) => (r.role === 'spokesperson' && r.kind === 'regular' && r.org_id !== null ? [r.org_id] : []));
      if (recordsOnly && own.length === 0) return null;
      const scope: StatsScope = recordsOnly ? { kind: 'orgs', roots: [...new Set(own)].sort((a, b) => a - b) } : figures;
      const ids = agencyIds(scope, all);
      if (ids === undefined) return null;
      const visible = scope.kind === 'orgs' ? subtree(all, scope.roots) : undefined;
      return {
        personId: person.id, ownerId: session.ownerId, csrfToken: session.csrfToken, name: person.full_name, locale: person.locale, roles: [...new Set(roles.map((r) => r.role))], scope,
        agencyIds: ids, orgs: visible ? all.filter((x) => visible.has(x.id)) : all, recordsOnly,
      };
    },
  };
}
