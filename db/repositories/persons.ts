import type { Db } from '../client.js';
import type { Role, RoleAssignment, RoleStatus, SpokespersonKind } from '../schema.js';

/** A self-registered reporter's details. */
export interface NewReporter {
  fullName: string;
  outletId: number | null;
  outletName: string | null;
  pressCard: string;
  locale: string | null;
  nowIso: string;
}

/** Creates a person and a pending reporter role; returns both ids. */
export async function createPendingReporter(db: Db, r: NewReporter): Promise<{ personId: number; roleId: number }> {
  const person = await db.insertInto('persons').values({
    code: null, full_name: r.fullName, outlet_id: r.outletId, outlet_name: r.outletName, press_card: r.pressCard,
    phone: null, tags: null, locale: r.locale, invite_code: null, invite_used_at: null, created_at: r.nowIso, updated_at: r.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  const roleId = await addRole(db, { personId: person.id, role: 'reporter', kind: null, orgId: null, status: 'pending', nowIso: r.nowIso });
  return { personId: person.id, roleId };
}

export async function addRole(db: Db, a: { personId: number; role: Role; kind: SpokespersonKind | null; orgId: number | null; status: RoleStatus; nowIso: string; caseInquiryId?: number; validTo?: string }): Promise<number> {
  const row = await db.insertInto('role_assignments').values({
    person_id: a.personId, role: a.role, kind: a.kind, org_id: a.orgId, status: a.status,
    case_inquiry_id: a.caseInquiryId ?? null, valid_from: null, valid_to: a.validTo ?? null, created_at: a.nowIso, updated_at: a.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Moves a role from `from` to `to` status; returns the updated row, or undefined if it was not in `from`. */
export async function setRoleStatusIf(db: Db, id: number, from: RoleStatus, to: RoleStatus, nowIso: string): Promise<RoleAssignment | undefined> {
  const r = await db.updateTable('role_assignments').set({ status: to, updated_at: nowIso })
    .where('id', '=', id).where('status', '=', from).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return undefined;
  return db.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks an invite used; false when it was used already (a second press of the same link). */
export async function useInvite(db: Db, personId: number, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('persons').set({ invite_used_at: nowIso, updated_at: nowIso })
    .where('id', '=', personId).where('invite_used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Sets a person's language, the one setting for every channel they use: the person's own value,
 * mirrored onto each of their identities so that any reader (web page, Telegram, Zalo) agrees.
 */
export async function setPersonLocale(db: Db, personId: number, locale: string, nowIso: string): Promise<void> {
  await db.updateTable('persons').set({ locale, updated_at: nowIso }).where('id', '=', personId).execute();
  await db.updateTable('identities').set({ locale, updated_at: nowIso }).where('person_id', '=', personId).execute();
}
