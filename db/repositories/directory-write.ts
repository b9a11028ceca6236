import type { Insertable } from 'kysely';
import type { Db } from '../client.js';
import type {
  AuditEventsTable, Org, OrgsTable, Outlet, OutletsTable, Person, PersonsTable, RoleAssignment,
  RoleAssignmentsTable, Topic, TopicsTable,
} from '../schema.js';

/**
 * Bulk reads and writes for the directory import. Every function takes `db` or a transaction
 * first and does a bounded number of round trips: writes go in multi-row statements of
 * {@link WRITE_CHUNK_ROWS} rows (under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters).
 */
export const WRITE_CHUNK_ROWS = 400;

/** A row's generated id by its directory code. */
export interface CodeId {
  id: number;
  code: string;
}

export type NewOrg = Insertable<OrgsTable>;
export type NewTopic = Insertable<TopicsTable>;
export type NewOutlet = Insertable<OutletsTable>;
export type NewPerson = Insertable<PersonsTable> & { code: string };
export type NewRoleAssignment = Insertable<RoleAssignmentsTable>;
/** A role assignment to rewrite in place, by id (all columns given). */
export type RoleAssignmentUpdate = NewRoleAssignment & { id: number };

function chunksOf<T>(items: readonly T[], size = WRITE_CHUNK_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every organisation (the tree is small: provinces, departments, ~3,300 communes). */
export async function loadOrgs(db: Db): Promise<Org[]> {
  return db.selectFrom('orgs').selectAll().execute();
}

export async function loadTopics(db: Db): Promise<Topic[]> {
  return db.selectFrom('topics').selectAll().execute();
}

export async function loadOutlets(db: Db): Promise<Outlet[]> {
  return db.selectFrom('outlets').selectAll().execute();
}

/** Persons that have a directory code or an invite code: the ones an import can match or clash with. */
export async function loadCodedPersons(db: Db): Promise<Person[]> {
  return db.selectFrom('persons').selectAll()
    .where((eb) => eb.or([eb('code', 'is not', null), eb('invite_code', 'is not', null)]))
    .execute();
}

/** Role assignments of persons that have a directory code. */
export async function loadRolesOfCodedPersons(db: Db): Promise<RoleAssignment[]> {
  return db.selectFrom('role_assignments').selectAll()
    .where('person_id', 'in', (eb) => eb.selectFrom('persons').select('id').where('code', 'is not', null))
    .execute();
}

/** Inquiry ids by inquiry code, for the codes given. */
export async function findInquiryIdsByCode(db: Db, codes: readonly string[]): Promise<CodeId[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('inquiries').select(['id', 'code']).where('code', 'in', [...codes]).execute();
  return rows.flatMap((r) => (r.code === null ? [] : [{ id: r.id, code: r.code }]));
}

/** Inserts or updates organisations by code; `created_at` of existing rows is kept. */
export async function upsertOrgs(db: Db, rows: readonly NewOrg[]): Promise<CodeId[]> {
  const out: CodeId[] = [];
  for (const part of chunksOf(rows)) {
    out.push(...await db.insertInto('orgs').values(part)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'), name_en: eb.ref('excluded.name_en'), type: eb.ref('excluded.type'),
        parent_id: eb.ref('excluded.parent_id'), predecessor_id: eb.ref('excluded.predecessor_id'),
        valid_from: eb.ref('excluded.valid_from'), valid_to: eb.ref('excluded.valid_to'),
        screening: eb.ref('excluded.screening'), updated_at: eb.ref('excluded.updated_at'),
      })))
      .returning(['id', 'code']).execute());
  }
  return out;
}

/** Inserts or updates topics by code. */
export async function upsertTopics(db: Db, rows: readonly NewTopic[]): Promise<void> {
  for (const part of chunksOf(rows)) {
    await db.insertInto('topics').values(part)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'), name_en: eb.ref('excluded.name_en'), org_id: eb.ref('excluded.org_id'),
        screening: eb.ref('excluded.screening'), active: eb.ref('excluded.active'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

/** Inserts or updates press outlets by code. */
export async function upsertOutlets(db: Db, rows: readonly NewOutlet[]): Promise<void> {
  for (const part of chunksOf(rows)) {
    await db.insertInto('outlets').values(part)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'), updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

/**
 * Inserts or updates persons by code. Never touches `created_at`, `outlet_name` or
 * `invite_used_at` of an existing person (the bot owns those).
 */
export async function upsertPersons(db: Db, rows: readonly NewPerson[]): Promise<CodeId[]> {
  const out: CodeId[] = [];
  for (const part of chunksOf(rows)) {
    const written = await db.insertInto('persons').values(part)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        full_name: eb.ref('excluded.full_name'), outlet_id: eb.ref('excluded.outlet_id'),
        press_card: eb.ref('excluded.press_card'), phone: eb.ref('excluded.phone'), tags: eb.ref('excluded.tags'),
        locale: eb.ref('excluded.locale'), invite_code: eb.ref('excluded.invite_code'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .returning(['id', 'code']).execute();
    out.push(...written.flatMap((r) => (r.code === null ? [] : [{ id: r.id, code: r.code }])));
  }
  return out;
}

/** Inserts new role assignments. */
export async function insertRoleAssignments(db: Db, rows: readonly NewRoleAssignment[]): Promise<void> {
  for (const part of chunksOf(rows)) await db.insertInto('role_assignments').values(part).execute();
}

/**
 * Rewrites existing role assignments in bulk: an upsert on the primary key is the one
 * multi-row UPDATE that SQLite and PostgreSQL both accept.
 */
export async function updateRoleAssignments(db: Db, rows: readonly RoleAssignmentUpdate[]): Promise<void> {
  for (const part of chunksOf(rows)) {
    await db.insertInto('role_assignments').values(part)
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'), org_id: eb.ref('excluded.org_id'), case_inquiry_id: eb.ref('excluded.case_inquiry_id'),
        valid_from: eb.ref('excluded.valid_from'), valid_to: eb.ref('excluded.valid_to'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

/** Appends one audit event. */
export async function insertAuditEvent(db: Db, row: Insertable<AuditEventsTable>): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
}

/**
 * Gives a person a new invite (its hash), unless their invite was used meanwhile; false then. The
 * earlier unused code, if any, stops working.
 */
export async function issueInviteHash(db: Db, personId: number, inviteHash: string, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('persons').set({ invite_code: inviteHash, updated_at: nowIso })
    .where('id', '=', personId).where('invite_used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether some person's invite has this hash. */
export async function inviteHashTaken(db: Db, inviteHash: string): Promise<boolean> {
  return (await db.selectFrom('persons').select('id').where('invite_code', '=', inviteHash).executeTakeFirst()) !== undefined;
}
