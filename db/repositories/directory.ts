import type { Platform } from '../../adapters/types.js';
import { sql, type RawBuilder } from 'kysely';
import { hashInviteCode } from '../invite-hash.js';
import type { Db } from '../client.js';
import { compiledOnce } from '../compiled.js';
import { unprefixed, withoutPrefixed } from './joined-rows.js';
import type { Identity, IsoDate, Org, OrgType, Outlet, Person, Role, RoleAssignment, Topic } from '../schema.js';

/** Reads of the directory (organisations, topics, outlets, people, roles) used by the flows. */

export async function findOrg(db: Db, id: number): Promise<Org | undefined> {
  return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Types of organisation an inquiry can be routed or transferred to. */
export const ROUTABLE_ORG_TYPES: readonly OrgType[] = ['department', 'agency', 'ministry', 'government'];

/** Organisations an inquiry can be routed to (agencies and departments valid on `today`). */
export async function listRoutableOrgs(db: Db, today: IsoDate, types: readonly OrgType[] = ROUTABLE_ORG_TYPES): Promise<Org[]> {
  return db.selectFrom('orgs').selectAll()
    .where('type', 'in', [...types])
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
    .orderBy('name').execute();
}

/** `orgId` and every ancestor up to the root, nearest first (a parent missing from `orgs` ends the chain, included). */
export async function orgAncestorIds(db: Db, orgId: number): Promise<number[]> {
  // One statement for the whole chain; the depth bound stops a cycle in bad data.
  const { rows } = await sql<OrgChainRow>`${orgChainCte(orgId)} select id, parent_id from chain order by depth`.execute(db);
  return orgChainIds(orgId, rows);
}

/** A row of {@link orgChainCte}: an organisation of the chain and its parent. */
export interface OrgChainRow {
  id: number;
  parent_id: number | null;
}

/**
 * `with recursive chain(id, parent_id, depth)`: `orgId` (depth 0) and its ancestors, depth-bounded
 * (a cycle repeats). `orgId` may be a scalar subquery (the organisation of a row read in the same statement).
 */
export function orgChainCte(orgId: number | RawBuilder<number | null>) {
  return sql`with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from orgs where id = ${orgId}
      union all
      select o.id, o.parent_id, c.depth + 1 from orgs o join chain c on o.id = c.parent_id where c.depth < ${MAX_ORG_DEPTH}
    )`;
}

/** The ancestor ids of `orgId` from its chain's rows (by depth): as {@link orgAncestorIds} returns them. */
export function orgChainIds(orgId: number, rows: readonly OrgChainRow[]): number[] {
  const ids: number[] = [orgId];
  let next = rows[0]?.parent_id ?? null;
  for (const row of rows.slice(1)) {
    if (next === null || ids.includes(next)) return ids;
    ids.push(Number(row.id));
    next = row.parent_id;
  }
  if (next !== null && !ids.includes(next)) ids.push(Number(next));
  return ids;
}

/** Deeper than any real hierarchy (province → department → unit …); bounds a cycle in bad data. */
const MAX_ORG_DEPTH = 64;

export async function listActiveTopics(db: Db): Promise<Topic[]> {
  return (await activeTopicsStatement(db)).rows;
}

const activeTopicsStatement = compiledOnce((db: Db) => db.selectFrom('topics').selectAll().where('active', '=', 1).orderBy('name'));

export async function findTopic(db: Db, id: number): Promise<Topic | undefined> {
  return db.selectFrom('topics').selectAll().where('id', '=', id).executeTakeFirst();
}

export const ORG_COLUMNS = ['id', 'code', 'name', 'name_en', 'type', 'parent_id', 'predecessor_id', 'valid_from', 'valid_to', 'screening', 'office_hours', 'created_at', 'updated_at'] as const;

/**
 * A topic and the organisation it belongs to (`topics.org_id`), in one statement: `topic`
 * undefined (and no org) when there is no such topic; `org` undefined when its organisation is gone.
 */
export async function topicWithOrg(db: Db, id: number): Promise<{ topic: Topic | undefined; org: Org | undefined }> {
  const row = await db.selectFrom('topics as t').leftJoin('orgs as o', 'o.id', 't.org_id')
    .selectAll('t').select(ORG_COLUMNS.map((c) => `o.${c} as o_${c}` as const))
    .where('t.id', '=', id).executeTakeFirst();
  if (!row) return { topic: undefined, org: undefined };
  return { topic: withoutPrefixed<Topic>(row, ['o_']), org: unprefixed<Org>(row, 'o_', ORG_COLUMNS) };
}

export async function listOutlets(db: Db): Promise<Outlet[]> {
  return db.selectFrom('outlets').selectAll().orderBy('name').execute();
}

export async function findOutlet(db: Db, id: number): Promise<Outlet | undefined> {
  return db.selectFrom('outlets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPerson(db: Db, id: number): Promise<Person | undefined> {
  return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person whose invite is `code` (as typed; matched by its hash, the only form stored). */
export async function findPersonByInvite(db: Db, code: string): Promise<Person | undefined> {
  return db.selectFrom('persons').selectAll().where('invite_code', '=', hashInviteCode(code)).executeTakeFirst();
}

/** Role assignments of a person in force on `today` (any status; callers check `status`). */
export async function rolesOf(db: Db, personId: number, today: IsoDate): Promise<RoleAssignment[]> {
  return db.selectFrom('role_assignments').selectAll()
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
    .orderBy('id').execute();
}

/** Columns of `role_assignments`, read beside a person's as `r_<column>`. */
const ROLE_COLUMNS = ['id', 'person_id', 'role', 'kind', 'org_id', 'status', 'case_inquiry_id', 'valid_from', 'valid_to', 'created_at', 'updated_at'] as const;

/**
 * A person and their role assignments in force on `today` (as {@link rolesOf}), in one statement;
 * `person` undefined (and no roles) when there is no such person.
 */
export async function personWithRoles(db: Db, personId: number, today: IsoDate): Promise<{ person: Person | undefined; roles: RoleAssignment[] }> {
  const { rows } = await personWithRolesStatement(db, personId, today);
  const [first] = rows;
  if (!first) return { person: undefined, roles: [] };
  const person = withoutPrefixed<Person>(first, ['r_']);
  const roles = rows.flatMap((row) => unprefixed<RoleAssignment>(row, 'r_', ROLE_COLUMNS) ?? []);
  return { person, roles };
}

const personWithRolesStatement = compiledOnce((db: Db, personId: number, today: IsoDate) => db.selectFrom('persons as p')
  .leftJoin('role_assignments as r', (join) => join.onRef('r.person_id', '=', 'p.id')
    .on((eb) => eb.or([eb('r.valid_from', 'is', null), eb('r.valid_from', '<=', today)]))
    .on((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', today)])))
  .selectAll('p').select(ROLE_COLUMNS.map((c) => `r.${c} as r_${c}` as const))
  .where('p.id', '=', personId).orderBy('r.id'));

export async function findRoleAssignment(db: Db, id: number): Promise<RoleAssignment | undefined> {
  return db.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Active holders of `role` whose scope organisation is one of `orgIds` (or unscoped when `includeUnscoped`). */
export async function personIdsWithRole(db: Db, role: Role, orgIds: readonly number[], today: IsoDate, includeUnscoped = false): Promise<Array<{ personId: number; kind: string | null; caseInquiryId: number | null }>> {
  if (orgIds.length === 0 && !includeUnscoped) return [];
  const rows = await db.selectFrom('role_assignments')
    .select(['person_id', 'kind', 'case_inquiry_id'])
    .where('role', '=', role).where('status', '=', 'active')
    .where((eb) => {
      const scoped = orgIds.length > 0 ? [eb('org_id', 'in', [...orgIds])] : [];
      return eb.or(includeUnscoped ? [...scoped, eb('org_id', 'is', null)] : scoped);
    })
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
    .orderBy('person_id').execute();
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.person_id) && seen.add(r.person_id))
    .map((r) => ({ personId: r.person_id, kind: r.kind, caseInquiryId: r.case_inquiry_id }));
}

/**
 * The identity to notify a person on: reachable first; among those the one the person chose
 * (`/prefer`), then the most recently used. `exceptPlatform` leaves out a channel that is down.
 */
export async function preferredIdentity(db: Db, personId: number, options: { exceptPlatform?: Platform } = {}): Promise<Identity | undefined> {
  let q = db.selectFrom('identities').selectAll().where('person_id', '=', personId);
  if (options.exceptPlatform) q = q.where('platform', '!=', options.exceptPlatform);
  return pickPreferred(await q.execute());
}

/** The best of a person's identities by the order of {@link preferredIdentity}. */
export function pickPreferred<T extends Identity>(rows: T[]): T | undefined {
  const score = (i: Identity) => (i.unreachable_at ? 0 : 2e15) + (Number(i.preferred) ? 1e15 : 0) + (i.last_inbound_at ? Date.parse(i.last_inbound_at) / 1000 : 0);
  return rows.sort((a, b) => score(b) - score(a))[0];
}

/**
 * {@link preferredIdentity} and the person's own language (`persons.locale`, null when unset) in
 * one statement, for notifying a person in their language.
 */
export async function preferredIdentityWithLocale(db: Db, personId: number): Promise<{ identity: Identity; personLocale: string | null } | undefined> {
  const rows = await db.selectFrom('identities').innerJoin('persons', 'persons.id', 'identities.person_id')
    .selectAll('identities').select('persons.locale as person_locale')
    .where('identities.person_id', '=', personId).execute();
  const best = pickPreferred(rows);
  if (!best) return undefined;
  const { person_locale: personLocale, ...identity } = best;
  return { identity, personLocale };
}

/**
 * Which of `orgIds` have someone to receive an inquiry on `today`: an active regular spokesperson
 * or head of agency assigned to the organisation itself (one query).
 */
export async function orgIdsWithReceivers(db: Db, orgIds: readonly number[], today: IsoDate): Promise<Set<number>> {
  if (orgIds.length === 0) return new Set();
  const rows = await db.selectFrom('role_assignments').select('org_id').distinct()
    .where('role', '=', 'spokesperson').where('status', '=', 'active').where('kind', 'in', ['regular', 'head'])
    .where('org_id', 'in', [...orgIds])
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
    .execute();
  return new Set(rows.flatMap((r) => (r.org_id === null ? [] : [Number(r.org_id)])));
}

/** Every organisation's parent (one query), for scope checks over many organisations at once. */
export async function orgParents(db: Db): Promise<Map<number, number | null>> {
  const rows = await db.selectFrom('orgs').select(['id', 'parent_id']).execute();
  return new Map(rows.map((r) => [Number(r.id), r.parent_id === null ? null : Number(r.parent_id)]));
}

/**
 * Distinct active holders of `role` (any scope). With `today`, only assignments valid that day;
 * without, every active one (admins' alerts ignore validity dates).
 */
export async function activeRoleHolderIds(db: Db, role: Role, today?: IsoDate): Promise<number[]> {
  let q = db.selectFrom('role_assignments').select('person_id').distinct().where('role', '=', role).where('status', '=', 'active');
  if (today !== undefined) {
    q = q.where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', today)]))
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]));
  }
  return (await q.execute()).map((r) => r.person_id);
}

/** Spokespersons authorised for this one inquiry (`kind = 'authorised'`, `case_inquiry_id`), active. */
export async function authorisedSpokespersonIds(db: Db, inquiryId: number): Promise<number[]> {
  const rows = await db.selectFrom('role_assignments').select('person_id')
    .where('role', '=', 'spokesperson').where('kind', '=', 'authorised').where('status', '=', 'active')
    .where('case_inquiry_id', '=', inquiryId).execute();
  return rows.map((r) => r.person_id);
}

/** Holders of `role` (active, valid on `today`) with their organisation and the person's tags (JSON), by person id. */
export async function listRoleContacts(db: Db, role: Role, today: IsoDate): Promise<Array<{ person_id: number; org_id: number | null; tags: string | null }>> {
  return db.selectFrom('role_assignments as ra').innerJoin('persons as p', 'p.id', 'ra.person_id')
    .select(['ra.person_id', 'ra.org_id', 'p.tags'])
    .where('ra.role', '=', role).where('ra.status', '=', 'active')
    .where((eb) => eb.or([eb('ra.valid_from', 'is', null), eb('ra.valid_from', '<=', today)]))
    .where((eb) => eb.or([eb('ra.valid_to', 'is', null), eb('ra.valid_to', '>=', today)]))
    .orderBy('ra.person_id').execute();
}

/** Every organisation, briefly (one query), for walking the tree in memory. */
export async function listOrgOutline(db: Db): Promise<Array<Pick<Org, 'id' | 'code' | 'name' | 'type' | 'parent_id' | 'valid_from' | 'valid_to'>>> {
  return db.selectFrom('orgs').select(['id', 'code', 'name', 'type', 'parent_id', 'valid_from', 'valid_to']).execute();
}

/** How many organisations the directory holds. */
export async function countOrgs(db: Db): Promise<number> {
  const row = await db.selectFrom('orgs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPersonByCode(db: Db, code: string): Promise<Person | undefined> {
  return db.selectFrom('persons').selectAll().where('code', '=', code).executeTakeFirst();
}
