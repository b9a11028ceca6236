import type { Db } from '../client.js';
import type { Person, RoleAssignment } from '../schema.js';

/** Reads of invite codes (the invites sheet, the sample network's try-it links). */

/** Every person holding an invite code (any order). */
export async function listInvitedPersons(db: Db): Promise<Array<Pick<Person, 'id' | 'code' | 'full_name' | 'invite_code' | 'invite_used_at'>>> {
  return db.selectFrom('persons')
    .select(['id', 'code', 'full_name', 'invite_code', 'invite_used_at'])
    .where((eb) => eb.or([eb('code', 'is not', null), eb('invite_code', 'is not', null)]))
    .execute();
}

/** The live (not revoked or rejected) role assignments of persons holding an invite code, with their organisation's code. */
export async function listInvitedPersonsRoles(db: Db): Promise<Array<Pick<RoleAssignment, 'person_id' | 'role' | 'kind'> & { org_code: string | null }>> {
  return db.selectFrom('role_assignments')
    .leftJoin('orgs', 'orgs.id', 'role_assignments.org_id')
    .select(['role_assignments.person_id', 'role_assignments.role', 'role_assignments.kind', 'orgs.code as org_code'])
    .where('role_assignments.status', 'not in', ['revoked', 'rejected'])
    .where('role_assignments.person_id', 'in', (eb) => eb.selectFrom('persons').select('id')
      .where((w) => w.or([w('code', 'is not', null), w('invite_code', 'is not', null)])))
    .execute();
}

/** The persons whose invite code is one of `codes`: the code and when it was redeemed. */
export async function findInvites(db: Db, codes: readonly string[]): Promise<Array<Pick<Person, 'invite_code' | 'invite_used_at'>>> {
  return db.selectFrom('persons').select(['invite_code', 'invite_used_at']).where('invite_code', 'in', [...codes]).execute();
}
