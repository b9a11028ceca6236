import type { Db } from '../../db/client.js';
import {
  insertRoleAssignments, loadCodedPersons, loadRolesOfCodedPersons, updateRoleAssignments, upsertPersons,
  type NewPerson, type NewRoleAssignment, type RoleAssignmentUpdate,
} from '../../db/repositories/directory-write.js';
import type { Person, Role, RoleAssignment, SpokespersonKind } from '../../db/schema.js';
import { hashInviteCode } from '../../db/invite-hash.js';
import { sameFields } from './plan-helpers.js';
import { toImportCounts, type ImportCounts, type RowErrors, type RowOutcome } from './types.js';

/** Person fields an importer may set; a field left out keeps the database value. */
export type PersonFields = Partial<Pick<Person, 'outlet_id' | 'press_card' | 'phone' | 'tags' | 'title'>>;

/** One person as a file describes them (people may span several rows). */
export interface PersonDraft {
  /** First line of the person in the file. */
  line: number;
  code: string;
  fullName: string;
  /** `null`: keep the existing code, or generate one. */
  inviteCode: string | null;
  inviteLine: number;
  /** `null`: keep the existing locale (the person may have chosen one in the chat). */
  locale: string | null;
  fields: PersonFields;
}

/** One role assignment a row asks for; matched to the database on (person, role, kind, org). */
export interface RoleDraft {
  line: number;
  personCode: string;
  role: Role;
  kind: SpokespersonKind | null;
  orgId: number | null;
  caseInquiryId: number | null;
  validFrom: string | null;
  validTo: string | null;
}

/** Persons and roles as the database holds them before the import. */
export interface PeopleSnapshot {
  byCode: Map<string, Person>;
  byInvite: Map<string, Person>;
  roleByKey: Map<string, RoleAssignment>;
  /** A contact serves one commune: their contact role, whatever its organisation. */
  contactByPerson: Map<number, RoleAssignment>;
}

/** Loads the persons and roles an import of people or contacts is matched against (two queries). */
export async function loadPeopleSnapshot(db: Db): Promise<PeopleSnapshot> {
  const persons = await loadCodedPersons(db);
  const roles = await loadRolesOfCodedPersons(db);
  return {
    byCode: new Map(persons.flatMap((p) => (p.code === null ? [] : [[p.code, p] as const]))),
    byInvite: new Map(persons.flatMap((p) => (p.invite_code === null ? [] : [[p.invite_code, p] as const]))),
    roleByKey: new Map(roles.map((r) => [roleKey(r.person_id, r.role, r.kind, r.org_id), r])),
    contactByPerson: new Map(roles.filter((r) => r.role === 'contact').map((r) => [r.person_id, r])),
  };
}

function roleKey(personId: number, role: Role, kind: SpokespersonKind | null, orgId: number | null): string {
  return `${personId}|${role}|${kind ?? ''}|${orgId ?? ''}`;
}

/** Reports invite codes given to two persons in the file, or owned by another person in the database. */
export function checkInviteCodes(drafts: readonly PersonDraft[], snapshot: PeopleSnapshot, errs: RowErrors): void {
  const inFile = new Map<string, PersonDraft>();
  for (const d of drafts) {
    if (d.inviteCode === null) continue;
    const other = inFile.get(d.inviteCode);
    const code = d.inviteCode;
    if (other) errs.add(d.inviteLine, (c) => c.inviteGivenTwice(code, other.code, other.inviteLine));
    else inFile.set(code, d);
    const owner = snapshot.byInvite.get(hashInviteCode(code));
    if (owner && owner.code !== d.code) errs.add(d.inviteLine, (c) => c.inviteTaken(code, owner.code));
  }
}

/**
 * Upserts the drafted persons (changed or new only), then inserts or updates their role
 * assignments, all in bulk. Imported roles are `active`. Row outcomes follow the role drafts.
 */
export async function writePeople(
  db: Db, drafts: readonly PersonDraft[], roles: readonly RoleDraft[], snapshot: PeopleSnapshot, nowIso: string,
): Promise<ImportCounts> {
  const planned = drafts.map((d) => planPerson(d, snapshot.byCode.get(d.code), nowIso));
  const idByCode = new Map([...snapshot.byCode].map(([code, p]) => [code, p.id]));
  const changed = planned.filter((p) => p.outcome !== 'unchanged');
  for (const written of await upsertPersons(db, changed.map((p) => p.row))) idByCode.set(written.code, written.id);
  const personOutcome = new Map(planned.map((p) => [p.row.code, { outcome: p.outcome, line: p.line }]));
  const inserts: NewRoleAssignment[] = [];
  const updates: RoleAssignmentUpdate[] = [];
  const outcomes = roles.map((r): RowOutcome => {
    const roleOutcome = planRole(r, idByCode.get(r.personCode) ?? 0, snapshot, nowIso, inserts, updates);
    const person = personOutcome.get(r.personCode);
    if (roleOutcome === 'inserted' || person?.outcome === 'inserted') return 'inserted';
    return roleOutcome === 'updated' || (person?.outcome === 'updated' && person.line === r.line) ? 'updated' : 'unchanged';
  });
  await insertRoleAssignments(db, inserts);
  await updateRoleAssignments(db, updates);
  return toImportCounts(outcomes, {
    persons_inserted: planned.filter((p) => p.outcome === 'inserted').length,
    persons_updated: planned.filter((p) => p.outcome === 'updated').length,
    roles_inserted: inserts.length,
    roles_updated: updates.length,
  });
}

interface PlannedPerson {
  row: NewPerson;
  outcome: RowOutcome;
  line: number;
}

/**
 * A code given in the file is stored as its hash (the operator holds it already); with none, the
 * person keeps the invite they have, or gets one when `liaison invites export` issues it (the only
 * moment a generated code can be shown: only its hash is stored).
 */
function planPerson(d: PersonDraft, current: Person | undefined, nowIso: string): PlannedPerson {
  const inviteCode = d.inviteCode !== null ? hashInviteCode(d.inviteCode) : current?.invite_code ?? null;
  const managed = {
    full_name: d.fullName,
    outlet_id: current?.outlet_id ?? null, press_card: current?.press_card ?? null,
    phone: current?.phone ?? null, tags: current?.tags ?? null,
    ...d.fields,
    locale: d.locale ?? current?.locale ?? null,
    invite_code: inviteCode,
  };
  const row: NewPerson = {
    code: d.code, ...managed,
    outlet_name: current?.outlet_name ?? null, invite_used_at: current?.invite_used_at ?? null,
    created_at: current?.created_at ?? nowIso, updated_at: nowIso,
  };
  const outcome: RowOutcome = !current ? 'inserted' : sameFields(current, managed) ? 'unchanged' : 'updated';
  return { row, outcome, line: d.line };
}

function planRole(
  r: RoleDraft, personId: number, snapshot: PeopleSnapshot, nowIso: string,
  inserts: NewRoleAssignment[], updates: RoleAssignmentUpdate[],
): RowOutcome {
  // A contact who moved to another commune keeps one role, moved: two would send them both communes' notices.
  const current = snapshot.roleByKey.get(roleKey(personId, r.role, r.kind, r.orgId))
    ?? (r.role === 'contact' ? snapshot.contactByPerson.get(personId) : undefined);
  const wanted = { status: 'active' as const, org_id: r.orgId, case_inquiry_id: r.caseInquiryId, valid_from: r.validFrom, valid_to: r.validTo };
  if (!current) {
    inserts.push({ person_id: personId, role: r.role, kind: r.kind, ...wanted, created_at: nowIso, updated_at: nowIso });
    return 'inserted';
  }
  if (sameFields(current, wanted)) return 'unchanged';
  updates.push({ ...current, ...wanted, updated_at: nowIso });
  return 'updated';
}
