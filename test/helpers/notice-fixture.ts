import type { Db } from '../../db/client.js';
import type { FakeTelegram, FakeUser } from '../fakes/telegram-bot-api.js';

/** A province with one commune and `n` joined Telegram contacts in it, chats opened in the fake. */
export async function seedContacts(db: Db, fake: FakeTelegram | undefined, n: number, firstUserId = 9_000_000): Promise<FakeUser[]> {
  const at = '2026-11-01T00:00:00.000Z';
  const province = await db.insertInto('orgs').values({ code: 'PX', name: 'Tỉnh Thử', name_en: null, type: 'province', parent_id: null, predecessor_id: null, valid_from: null, valid_to: null, screening: 0, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
  const commune = await db.insertInto('orgs').values({ code: 'CX', name: 'Xã Thử', name_en: null, type: 'commune', parent_id: province.id, predecessor_id: null, valid_from: null, valid_to: null, screening: 0, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
  const users: FakeUser[] = [];
  for (let i = 0; i < n; i += 200) {
    const chunk = Array.from({ length: Math.min(200, n - i) }, (_, j) => ({ id: firstUserId + i + j, first_name: `Đầu mối ${i + j}` }));
    const persons = await db.insertInto('persons').values(chunk.map((u) => ({
      code: `C${u.id}`, full_name: u.first_name, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: 'vi',
      invite_code: null, invite_used_at: null, created_at: at, updated_at: at,
    }))).returning('id').execute();
    await db.insertInto('role_assignments').values(persons.map((p) => ({
      person_id: p.id, role: 'contact' as const, kind: null, org_id: commune.id, status: 'active' as const, case_inquiry_id: null, valid_from: null, valid_to: null, created_at: at, updated_at: at,
    }))).execute();
    await db.insertInto('identities').values(persons.map((p, j) => ({
      platform: 'telegram' as const, platform_user_id: String(chunk[j]!.id), chat_id: String(chunk[j]!.id), person_id: p.id, display_name: null,
      locale: 'vi', dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: at, created_at: at, updated_at: at,
    }))).execute();
    users.push(...chunk);
  }
  for (const u of users) fake?.openChat(u);
  return users;
}
