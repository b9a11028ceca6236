import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpBodyResponse, HttpRoute } from '../../adapters/types.js';
import { createSessionManager } from '../../adapters/web/sessions.js';
import { listInbox, markRead } from '../../db/repositories/inbox.js';
import { addEntry, createInquiry } from '../../db/repositories/inquiries.js';
import { searchText } from '../../db/repositories/search-text.js';
import { createWebStore } from '../../db/repositories/web.js';
import type { InquiryStatus } from '../../db/schema.js';
import { createInboxRoutes } from '../../src/inbox/index.js';
import { createLogger } from '../../src/logger.js';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';

/** The API's JSON, as far as these tests read it. */
interface Item { id: number; key: string; at: string; source: string; kind: string; due: unknown; mine?: boolean; [field: string]: unknown }
interface Section { name: string; items: Item[] }
interface Body { sections: Section[]; registrations: Array<{ name: string }>; items: Item[]; before?: string; lastRead: number; inquiry: Record<string, unknown>; duplicates: Item[] }

// Monday 07/12/2026 10:00 in Huế.
const NOW = '2026-12-07T03:00:00.000Z';

describe.each(testDialects())('the web inbox on %s: lists, search, threads and scope', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let routes: HttpRoute[];
  const ids: Record<string, number> = {};
  const cookies: Record<string, string> = {};
  const clock = createManualClock(NOW);

  const get = async (who: string | undefined, path: string): Promise<{ status: number; body: Body }> => {
    const [p, q = ''] = path.split('?');
    const route = routes.find((r) => r.path === `/web/u/1/api/inbox${p === '/' ? '' : p}`)!;
    const res = await route.handle({ method: 'GET', headers: who ? { cookie: `liaison_session_1=${cookies[who]}` } : {}, query: Object.fromEntries(new URLSearchParams(q)) } as never) as HttpBodyResponse;
    return { status: res.status, body: JSON.parse(String(res.body)) as Body };
  };

  beforeAll(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    const other = await t.db.insertInto('persons').values({ code: 'pv2', full_name: 'Người Khác', outlet_id: null, outlet_name: 'Báo Khác', press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('role_assignments').values({ person_id: other.id, role: 'reporter', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
    const pending = await t.db.insertInto('persons').values({ code: null, full_name: 'Chờ Duyệt', outlet_id: null, outlet_name: 'Báo Mới', press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('role_assignments').values({ person_id: pending.id, role: 'reporter', kind: null, org_id: null, status: 'pending', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
    const sessions = createSessionManager({ store: createWebStore(t.db), idleTimeoutMs: 3_600_000, maxAgeMs: 86_400_000, now: () => clock.now().getTime() });
    const people: Record<string, number> = { reporter: net.reporterId, other: other.id, health: net.healthSpokesId, police: net.policeSpokesId, coordinator: net.coordinatorId, pending: pending.id };
    const identity: Record<string, number> = {};
    for (const [who, personId] of Object.entries(people)) {
      identity[who] = await linkChat(t.db, personId, 'web', `owner-${who}`);
      cookies[who] = (await sessions.create(`owner-${who}`, 1)).token;
    }
    const ask = async (label: string, who: 'reporter' | 'other', question: string, orgId: number, status: InquiryStatus, dueAt: string | null) => {
      const q = await createInquiry(t.db, {
        reporterPersonId: people[who]!, reporterIdentityId: identity[who]!, originChatId: `owner-${who}`, originMessageId: label, topicId: null,
        orgId: status === 'screening' ? null : orgId, suggestedOrgId: orgId, status, question, receivedAt: '2026-12-04T02:00:00.000Z',
      });
      if (dueAt) await t.db.updateTable('inquiries').set({ due_at: dueAt }).where('id', '=', q.id).execute();
      await addEntry(t.db, q.id, 'question', people[who]!, question, '2026-12-04T02:00:00.000Z');
      ids[label] = q.id;
    };
    // Due at the end of Wednesday 09/12 (24:00 local), 3 hours overdue, in screening, another reporter's.
    await ask('vaccine', 'reporter', 'Lịch tiêm vắc-xin sởi cho trẻ thế nào?', net.healthId, 'assigned', '2026-12-09T17:00:00.000Z');
    await ask('security', 'reporter', 'Tình hình an ninh trật tự đêm Giáng sinh ra sao?', net.policeId, 'assigned', '2026-12-07T00:00:00.000Z');
    await ask('screened', 'reporter', 'Tiêm vắc xin sởi cho trẻ em ở đâu?', net.policeId, 'screening', null);
    await ask('others', 'other', 'Đợt tiêm vắc-xin cúm mùa năm nay bắt đầu khi nào?', net.healthId, 'assigned', '2026-12-11T17:00:00.000Z');
    routes = createInboxRoutes({
      db: t.db, clock, logger: createLogger({ level: 'silent', secrets: [] }), loadCalendar: async () => createWorkCalendar({ official: [], officialYears: [] }),
      sessionIdleMs: 3_600_000, sessionMaxMs: 86_400_000,
    });
  });
  afterAll(async () => { await t?.drop(); });

  it('stores the question without diacritics for search ("tiêm vắc-xin" → "tiem vac xin", đ → d)', async () => {
    expect(searchText('Lịch TIÊM vắc-xin, Đà Nẵng!')).toBe('lich tiem vac xin da nang');
    const row = await t.db.selectFrom('inquiries').select('search_text').where('id', '=', ids.vaccine!).executeTakeFirstOrThrow();
    expect(row.search_text).toBe('lich tiem vac xin soi cho tre the nao');
  });

  it('gives each role its lists: a reporter their own, a spokesperson their agency by due time, a coordinator screening, overdue and registrations', async () => {
    const mine = (await get('reporter', '/')).body;
    expect(mine.sections.map((s: Section) => s.name)).toEqual(['mine', 'following']);
    expect(mine.sections[0]!.items.map((i: Item) => i.id).sort()).toEqual([ids.vaccine, ids.security, ids.screened].sort());
    const vaccine = mine.sections[0]!.items.find((i: Item) => i.id === ids.vaccine);
    expect(vaccine).toMatchObject({ code: `Q-${ids.vaccine}`, agency: 'Sở Y tế', status: 'assigned', due: { kind: 'working_days', n: 2 } });
    expect(mine.sections[0]!.items.find((i: Item) => i.id === ids.security)!.due).toEqual({ kind: 'over_hours', n: 3 });
    const health = (await get('health', '/')).body;
    expect(health.sections.map((s: Section) => s.name)).toEqual(['queue']);
    expect(health.sections[0]!.items.map((i: Item) => i.id)).toEqual([ids.vaccine, ids.others]);
    const police = (await get('police', '/')).body;
    expect(police.sections[0]!.items.map((i: Item) => i.id)).toEqual([ids.security]);
    const coordinator = (await get('coordinator', '/')).body;
    expect(coordinator.sections.map((s: Section) => [s.name, s.items.map((i: Item) => i.id)])).toEqual([['screening', [ids.screened]], ['overdue', [ids.security]]]);
    expect(coordinator.registrations.map((r: { name: string }) => r.name)).toEqual(['Chờ Duyệt']);
    expect(mine.registrations).toEqual([]);
  });

  it('searches without diacritics, only within the reader\'s own scope', async () => {
    const ids_ = async (who: string, q: string) => ((await get(who, `/search?q=${encodeURIComponent(q)}`)).body.items as Item[]).map((i) => i.id).sort();
    expect(await ids_('reporter', 'tiem vac xin')).toEqual([ids.vaccine, ids.screened].sort());
    expect(await ids_('reporter', 'TIÊM VẮC-XIN sởi')).toEqual([ids.vaccine, ids.screened].sort());
    expect(await ids_('health', 'tiem vac xin')).toEqual([ids.vaccine, ids.others].sort());
    expect(await ids_('coordinator', 'vac xin')).toEqual([ids.vaccine, ids.screened, ids.others].sort());
    expect(await ids_('other', 'an ninh')).toEqual([]);
    expect(await ids_('reporter', '%')).toEqual([]);
  });

  it('refuses what lies outside the reader\'s scope, on the server', async () => {
    expect((await get(undefined, '/')).status).toBe(401);
    expect((await get('reporter', `/thread?id=${ids.others}`)).status).toBe(403);
    expect((await get('police', `/thread?id=${ids.vaccine}`)).status).toBe(403);
    expect((await get('pending', `/thread?id=${ids.vaccine}`)).status).toBe(403);
    expect((await get('health', `/thread?id=${ids.screened}`)).status).toBe(403);
    expect((await get('reporter', '/thread?id=999999')).status).toBe(404);
    expect((await get('reporter', '/thread?id=abc')).status).toBe(400);
    expect((await get('reporter', `/thread?id=${ids.vaccine}&before=x`)).status).toBe(400);
    expect((await get('coordinator', `/thread?id=${ids.screened}`)).status).toBe(200);
    expect((await get('health', `/thread?id=${ids.vaccine}`)).status).toBe(200);
    expect((await get('pending', '/')).body.sections).toEqual([]);
  });

  it('counts unread entries by others, and opening the thread marks it read', async () => {
    const thread = async () => (await get('reporter', `/thread?id=${ids.vaccine}`)).body;
    await thread();
    const answerId = await addEntry(t.db, ids.vaccine!, 'answer', net.healthSpokesId, 'Lịch tiêm: thứ Bảy hằng tuần.', '2026-12-07T02:00:00.000Z');
    const unread = async () => (await listInbox(t.db, net.reporterId, { ids: [ids.vaccine!] }, 'recent', 1))[0]!.unread;
    expect(await unread()).toBe(1);
    const opened = await thread();
    expect(opened.lastRead).toBeLessThan(answerId);
    expect(opened.items.map((i: Item) => i.kind)).toEqual(['question', 'answer']);
    expect(opened.inquiry).toMatchObject({ question: 'Lịch tiêm vắc-xin sởi cho trẻ thế nào?', mine: true });
    expect(await unread()).toBe(0);
    await markRead(t.db, net.reporterId, ids.vaccine!, NOW);
    expect(await unread()).toBe(0);
  });

  it('pages a long thread, newest first page, older pages by cursor, every item once in order', async () => {
    const base = Date.parse('2026-12-05T00:00:00.000Z');
    for (let k = 0; k < 45; k += 1) await addEntry(t.db, ids.security!, k % 2 ? 'followup' : 'clarification_reply', net.reporterId, `Tin ${k}`, new Date(base + Math.floor(k / 3) * 60_000).toISOString());
    await t.db.insertInto('audit_events').values({ at: new Date(base + 60_000).toISOString(), actor_person_id: net.policeSpokesId, actor_identity_id: null, action: 'inquiry.acknowledge', entity: 'inquiry', entity_id: String(ids.security), before: null, after: null }).execute();
    await t.db.insertInto('deadline_events').values({ inquiry_id: ids.security!, kind: 'overdue', step: 'overdue-1', fired_at: NOW } as never).execute();
    const seen: Item[] = [];
    let page = (await get('reporter', `/thread?id=${ids.security}`)).body;
    expect(page.items).toHaveLength(30);
    seen.unshift(...page.items);
    while (page.before) {
      page = (await get('reporter', `/thread?id=${ids.security}&before=${encodeURIComponent(page.before)}`)).body;
      seen.unshift(...page.items);
    }
    expect(seen).toHaveLength(48); // the question, 45 entries, an acknowledgement and a deadline event
    expect(new Set(seen.map((i) => i.key)).size).toBe(48);
    expect(seen.map((i) => i.at)).toEqual([...seen.map((i) => i.at)].sort());
    expect(seen.at(-1)).toMatchObject({ source: 'deadline', kind: 'overdue' });
    expect(seen.find((i) => i.source === 'audit')).toMatchObject({ kind: 'inquiry.acknowledge', by: 'Hoàng Công An' });
  });

  it('offers similar open or answered questions before a reporter sends one, and likely duplicates to a screening coordinator', async () => {
    const similar = (await get('reporter', `/similar?text=${encodeURIComponent('Tiêm vắc-xin sởi cho trẻ ở đâu ạ?')}`)).body.items;
    expect(similar.map((i: Item) => i.id)).toContain(ids.screened);
    expect(similar.find((i: Item) => i.id === ids.screened)!.mine).toBe(true);
    expect((await get('health', `/similar?text=${encodeURIComponent('Tiêm vắc-xin sởi cho trẻ ở đâu?')}`)).body.items).toEqual([]);
    expect((await get('health', `/thread?id=${ids.vaccine}`)).body.inquiry).toMatchObject({ role: 'staff' });
  });

  it('lists a screened question\'s likely duplicates as its screening notice does: the same topic\'s, in the coordinator\'s scope', async () => {
    // A coordinator of the police only, beside the city's (whose scope holds every agency).
    const police = await t.db.insertInto('persons').values({ code: 'dm-ca', full_name: 'Điều Phối Công An', outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('role_assignments').values({ person_id: police.id, role: 'coordinator', kind: null, org_id: net.policeId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: NOW, updated_at: NOW }).execute();
    await linkChat(t.db, police.id, 'web', 'owner-dm-ca');
    cookies['dm-ca'] = (await createSessionManager({ store: createWebStore(t.db), idleTimeoutMs: 3_600_000, maxAgeMs: 86_400_000, now: () => clock.now().getTime() }).create('owner-dm-ca', 1)).token;
    const topics = (vaccine: number | null, screened: number | null) => Promise.all([
      t.db.updateTable('inquiries').set({ topic_id: vaccine }).where('id', '=', ids.vaccine!).execute(),
      t.db.updateTable('inquiries').set({ topic_id: screened }).where('id', '=', ids.screened!).execute(),
    ]);
    const duplicates = async (who: string) => ((await get(who, `/thread?id=${ids.screened}`)).body.duplicates).map((i: Item) => i.id);
    try {
      // Another topic: not a duplicate to list, however alike (the notice does not name it either).
      await topics(net.healthTopicId, net.securityTopicId);
      expect(await duplicates('coordinator')).toEqual([]);
      // The same topic: listed for the city's coordinator; never for the police's, since the
      // duplicate is at the health department, outside their scope (its code and words stay unseen).
      await topics(net.securityTopicId, net.securityTopicId);
      expect(await duplicates('coordinator')).toEqual([ids.vaccine]);
      expect((await get('coordinator', `/thread?id=${ids.screened}`)).body.inquiry).toMatchObject({ role: 'coordinator', mine: false });
      expect(await duplicates('dm-ca')).toEqual([]);
      // No topic (asked before topics, or imported): nothing to compare within.
      await topics(null, null);
      expect(await duplicates('coordinator')).toEqual([]);
    } finally {
      await topics(null, null);
    }
  });

  it('offers, for the question waiting for its topic, similar ones in every topic; once the topic is chosen, nothing (the bot\'s confirmation offers them)', async () => {
    const waiting = 'Tiêm vắc-xin sởi cho trẻ ở đâu ạ?';
    await t.db.updateTable('inquiries').set({ topic_id: net.healthTopicId }).where('id', '=', ids.vaccine!).execute();
    await t.db.updateTable('inquiries').set({ topic_id: net.securityTopicId }).where('id', '=', ids.screened!).execute();
    const dialog = async (d: unknown) => t.db.updateTable('identities').set({ dialog: d === null ? null : JSON.stringify(d) }).where('platform', '=', 'web').where('platform_user_id', '=', 'owner-reporter').execute();
    const offered = async (text = '') => ((await get('reporter', `/similar?text=${encodeURIComponent(text)}`)).body.items as Item[]).map((i) => i.id);
    try {
      // Nothing typed and nothing waiting: nothing offered.
      expect(await offered()).toEqual([]);
      // Sent to the bot, which asks its topic: not known yet, so every topic, each item naming its
      // own; following one then is following it instead of sending (`instead`).
      await dialog({ step: 'ask_topic', question: waiting, messageId: '7' });
      expect(await offered()).toEqual(expect.arrayContaining([ids.vaccine, ids.screened]));
      const answer = (await get('reporter', '/similar?text=')).body as unknown as { instead: boolean; items: Item[] };
      expect(answer.instead).toBe(true);
      expect(answer.items.find((i) => i.id === ids.vaccine)).toMatchObject({ topic: 'Y tế' });
      expect(answer.items.find((i) => i.id === ids.screened)).toMatchObject({ topic: 'An ninh trật tự' });
      // Topic chosen (Y tế), the bot asks to confirm: its message names the topic's similar questions, the panel steps aside.
      await dialog({ step: 'ask_confirm', question: waiting, messageId: '7', topicId: net.healthTopicId });
      expect(await offered()).toEqual([]);
      // Typing a new question in the composer: its topic is not known, every topic again; nothing waits.
      expect(await offered(waiting)).toEqual(expect.arrayContaining([ids.vaccine, ids.screened]));
      expect(((await get('reporter', `/similar?text=${encodeURIComponent(waiting)}`)).body as unknown as { instead: boolean }).instead).toBe(false);
    } finally {
      await dialog(null);
      await t.db.updateTable('inquiries').set({ topic_id: null }).where('id', 'in', [ids.vaccine!, ids.screened!]).execute();
    }
  });

  it('pages the conversation with the bot backwards: the entries before an id, oldest first', async () => {
    const store = createWebStore(t.db);
    for (let k = 1; k <= 7; k += 1) await store.appendMessage({ chatId: 'paged-chat', from: k % 2 ? 'bot' : 'user', text: `m${k}`, at: NOW });
    const page = await store.messagesBefore!('paged-chat', 6, 3);
    expect(page.map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
    expect((await store.messagesBefore!('paged-chat', 3, 10)).map((m) => m.text)).toEqual(['m1', 'm2']);
    expect(await store.messagesBefore!('paged-chat', 1, 10)).toEqual([]);
    expect(await store.messagesBefore!('another-chat', 6, 10)).toEqual([]);
  });
});
