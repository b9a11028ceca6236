import type { Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import type { Role, SpokespersonKind } from '../../db/schema.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const NOW = '2026-11-20T02:00:00.000Z';

async function org(db: Db, code: string, name: string, type: string, parentId: number | null, screening = 0): Promise<number> {
  const r = await db.insertInto('orgs').values({ code, name, name_en: `${name} (en)`, type: type as 'department', parent_id: parentId, predecessor_id: null, valid_from: '2025-07-01', valid_to: null, screening, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

async function person(db: Db, code: string, name: string, role: Role, orgId: number | null, kind: SpokespersonKind | null = null, outletId: number | null = null): Promise<number> {
  const p = await db.insertInto('persons').values({ code, full_name: name, outlet_id: outletId, outlet_name: null, press_card: role === 'reporter' ? 'HN-12345' : null, phone: null, tags: null, locale: null, invite_code: hashInviteCode(`inv-${code}`), invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('role_assignments').values({ person_id: p.id, role, kind, org_id: orgId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
  return p.id;
}

/** Links a chat identity to a person, as an accepted invite would. */
export async function linkChat(db: Db, personId: number, platform: Platform, userId: string): Promise<number> {
  const r = await db.insertInto('identities').values({ platform, platform_user_id: userId, chat_id: userId, person_id: personId, display_name: null, locale: null, dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: NOW, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** A minimal network: a city, a direct department (health) and a screened agency (police). */
export interface MiniNetwork {
  cityId: number; healthId: number; policeId: number; financeId: number;
  healthTopicId: number; securityTopicId: number;
  reporterId: number; healthSpokesId: number; financeSpokesId: number; policeSpokesId: number; coordinatorId: number;
}

/** Seeds a {@link MiniNetwork} with active roles (no chat identities). */
export async function seedMiniNetwork(db: Db): Promise<MiniNetwork> {
  const cityId = await org(db, 'HUE', 'Thành phố Huế', 'province', null);
  const healthId = await org(db, 'SYT', 'Sở Y tế', 'department', cityId);
  const financeId = await org(db, 'STC', 'Sở Tài chính', 'department', cityId);
  const policeId = await org(db, 'CA', 'Công an thành phố', 'agency', cityId, 1);
  const topic = async (code: string, name: string, orgId: number) => (await db.insertInto('topics').values({ code, name, name_en: null, org_id: orgId, screening: null, active: 1, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow()).id;
  const healthTopicId = await topic('YTE', 'Y tế', healthId);
  const securityTopicId = await topic('ANTT', 'An ninh trật tự', policeId);
  const outlet = await db.insertInto('outlets').values({ code: 'HUE', name: 'Báo Huế', created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
  return {
    cityId, healthId, policeId, financeId, healthTopicId, securityTopicId,
    reporterId: await person(db, 'pv1', 'Trần Thị Phóng Viên', 'reporter', null, null, outlet.id),
    healthSpokesId: await person(db, 'pn-syt', 'Lê Văn Y Tế', 'spokesperson', healthId, 'regular'),
    financeSpokesId: await person(db, 'pn-stc', 'Phạm Tài Chính', 'spokesperson', financeId, 'regular'),
    policeSpokesId: await person(db, 'pn-ca', 'Hoàng Công An', 'spokesperson', policeId, 'regular'),
    coordinatorId: await person(db, 'dm1', 'Ngô Điều Phối', 'coordinator', cityId),
  };
}

/** Adds one more verified reporter (invite `inv-<code>`, no chat yet); returns their person id. */
export function addReporter(db: Db, code: string, name: string): Promise<number> {
  return person(db, code, name, 'reporter', null);
}
