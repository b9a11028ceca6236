import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpBodyResponse, HttpRoute } from '../../adapters/types.js';
import { createSessionManager } from '../../adapters/web/sessions.js';
import { follow, unfollow } from '../../db/repositories/followers.js';
import { addEntry, createInquiry } from '../../db/repositories/inquiries.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createInboxRoutes } from '../../src/inbox/index.js';
import { createInboxFeed } from '../../src/inbox/inbox-feed.js';
import { createLogger } from '../../src/logger.js';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { addReporter, linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';

interface Item { id: number; kind: string; text: string; by: string | null; byTitle: string | null; unread: number; [field: string]: unknown }
interface Body { sections: Array<{ name: string; items: Item[] }>; items: Item[]; inquiry: Record<string, unknown> }

// Monday 07/12/2026 10:00 in Huế.
const NOW = '2026-12-07T03:00:00.000Z';

describe.each(testDialects())('a reporter\'s followed questions in the web inbox (%s)', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let routes: HttpRoute[];
  let follower: number;
  let question: number;
  const cookies: Record<string, string> = {};
  const clock = createManualClock(NOW);

  const get = async (who: string, path: string): Promise<{ status: number; body: Body; raw: string }> => {
    const [p, q = ''] = path.split('?');
    const route = routes.find((r) => r.path === `/web/u/1/api/inbox${p === '/' ? '' : p}`)!;
    const res = await route.handle({ method: 'GET', headers: { cookie: `liaison_session_1=${cookies[who]}` }, query: Object.fromEntries(new URLSearchParams(q)) } as never) as HttpBodyResponse;
    return { status: res.status, body: JSON.parse(String(res.body)) as Body, raw: String(res.body) };
  };
  const section = async (who: string, name: string) => (await get(who, '/')).body.sections.find((s) => s.name === name)?.items;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    follower = await addReporter(t.db, 'pv-follow', 'Người Theo Dõi');
    const stranger = await addReporter(t.db, 'pv-stranger', 'Người Lạ');
    await t.db.updateTable('persons').set({ title: 'Phó Giám đốc', title_en: 'Deputy Director' }).where('id', '=', net.healthSpokesId).execute();
    const sessions = createSessionManager({ store: createWebStore(t.db), idleTimeoutMs: 3_600_000, maxAgeMs: 86_400_000, now: () => clock.now().getTime() });
    const people: Record<string, number> = { reporter: net.reporterId, follower, stranger, health: net.healthSpokesId };
    const identity: Record<string, number> = {};
    for (const [who, personId] of Object.entries(people)) {
      identity[who] = await linkChat(t.db, personId, 'web', `owner-${who}`);
      cookies[who] = (await sessions.create(`owner-${who}`, 1)).token;
    }
    const q = await createInquiry(t.db, {
      reporterPersonId: net.reporterId, reporterIdentityId: identity.reporter!, originChatId: 'owner-reporter', originMessageId: '1', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'acknowledged', question: 'Lịch tiêm vắc-xin sởi cho trẻ em năm nay thế nào?', receivedAt: '2026-12-04T02:00:00.000Z',
    });
    question = q.id;
    // Due at the end of Wednesday 09/12: two working days left on Monday.
    await t.db.updateTable('inquiries').set({ due_at: '2026-12-09T17:00:00.000Z' }).where('id', '=', q.id).execute();
    await addEntry(t.db, q.id, 'question', net.reporterId, 'Lịch tiêm vắc-xin sởi cho trẻ em năm nay thế nào?', '2026-12-04T02:00:00.000Z');
    routes = createInboxRoutes({
      db: t.db, clock, logger: createLogger({ level: 'silent', secrets: [] }), loadCalendar: async () => createWorkCalendar({ official: [], officialYears: [] }),
      sessionIdleMs: 3_600_000, sessionMaxMs: 86_400_000,
    });
  });
  afterAll(async () => { await t?.drop(); });

  it('lists a followed question under "following" with its code, agency, status and due standing, and never who asked', async () => {
    expect(await section('follower', 'following')).toEqual([]);
    await follow(t.db, follower, question, NOW);
    const listed = await section('follower', 'following');
    expect(listed).toHaveLength(1);
    expect(listed![0]).toMatchObject({ id: question, code: `Q-${question}`, agency: 'Sở Y tế', status: 'acknowledged', due: { kind: 'working_days', n: 2 }, unread: 0 });
    expect(JSON.stringify(listed)).not.toContain('Trần Thị Phóng Viên');
    // The asker's own list is theirs; their "following" list is empty; a spokesperson has none.
    expect((await section('reporter', 'mine'))!.map((i) => i.id)).toEqual([question]);
    expect(await section('reporter', 'following')).toEqual([]);
    expect(await section('health', 'following')).toBeUndefined();
  });

  it('shows a follower the question, its status and its official answers, signed, and nothing else; unread counts the answers only', async () => {
    await addEntry(t.db, question, 'clarification_request', net.healthSpokesId, 'Anh chị hỏi cho phường nào?', '2026-12-04T03:00:00.000Z');
    await addEntry(t.db, question, 'clarification_reply', net.reporterId, 'Phường Phú Hội, tôi là Trần Thị Phóng Viên', '2026-12-04T04:00:00.000Z');
    await addEntry(t.db, question, 'followup', net.reporterId, 'Hỏi thêm: có mất phí không?', '2026-12-04T05:00:00.000Z');
    await t.db.insertInto('audit_events').values({ at: '2026-12-04T03:30:00.000Z', actor_person_id: net.healthSpokesId, actor_identity_id: null, action: 'inquiry.acknowledge', entity: 'inquiry', entity_id: String(question), before: null, after: null }).execute();
    expect((await section('follower', 'following'))![0]!.unread).toBe(0);
    await addEntry(t.db, question, 'answer', net.healthSpokesId, 'Tiêm sởi thứ Bảy hằng tuần tại trạm y tế phường, miễn phí.', '2026-12-05T02:00:00.000Z');
    expect((await section('follower', 'following'))![0]!.unread).toBe(1);

    const view = await get('follower', `/followed?id=${question}`);
    expect(view.status).toBe(200);
    expect(view.body.inquiry).toMatchObject({ code: `Q-${question}`, question: 'Lịch tiêm vắc-xin sởi cho trẻ em năm nay thế nào?', status: 'acknowledged', agency: 'Sở Y tế', topic: 'Y tế', role: 'follower', mine: false });
    expect(view.body.items.map((i) => [i.kind, i.text, i.by, i.byTitle])).toEqual([
      ['answer', 'Tiêm sởi thứ Bảy hằng tuần tại trạm y tế phường, miễn phí.', 'Lê Văn Y Tế', 'Phó Giám đốc'],
    ]);
    // Neither the asker's name nor their clarification or follow-up, nor an internal step.
    for (const hidden of ['Trần Thị Phóng Viên', 'Phú Hội', 'có mất phí', 'phường nào', 'inquiry.acknowledge', 'reporter_person_id']) expect(view.raw).not.toContain(hidden);
    // Opening it marked it read.
    expect((await section('follower', 'following'))![0]!.unread).toBe(0);
  });

  it('shows a decline as its followers are sent it: the ground by name, its legal article and the reason, signed', async () => {
    const q = await createInquiry(t.db, {
      reporterPersonId: net.reporterId, reporterIdentityId: (await linkChat(t.db, net.reporterId, 'telegram', 'tg-asker')), originChatId: 'tg-asker', originMessageId: '2', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'declined', question: 'Số ca mắc trong ổ dịch đang điều tra là bao nhiêu?', receivedAt: '2026-12-04T02:00:00.000Z',
    });
    await addEntry(t.db, q.id, 'decline', net.healthSpokesId, 'investigation: Vụ việc đang được điều tra.', '2026-12-05T02:00:00.000Z');
    await follow(t.db, follower, q.id, NOW);
    const [decline] = (await get('follower', `/followed?id=${q.id}`)).body.items;
    expect(decline).toMatchObject({ kind: 'decline', by: 'Lê Văn Y Tế', byTitle: 'Phó Giám đốc' });
    expect(decline!.text).toMatch(/^Căn cứ: .+ \(khoản 2 Điều 31 Luật Báo chí 2025 \(126\/2025\/QH15\)\)\nLý do: Vụ việc đang được điều tra\.$/);
    expect(decline!.text).not.toContain('investigation');
    // The asker's own thread words it the same way, never the stored ground code.
    const inThread = (await get('reporter', `/thread?id=${q.id}`)).body.items.find((e) => e.kind === 'decline');
    expect(inThread!.text).toBe(decline!.text);
    await unfollow(t.db, follower, q.id);
  });

  it('opens only for a reporter who follows the question: 403 for anyone else (the asker included), 404 unknown, 400 malformed', async () => {
    expect((await get('stranger', `/followed?id=${question}`)).status).toBe(403);
    expect((await get('reporter', `/followed?id=${question}`)).status).toBe(403);
    expect((await get('health', `/followed?id=${question}`)).status).toBe(403);
    // The full thread stays closed to the follower.
    expect((await get('follower', `/thread?id=${question}`)).status).toBe(403);
    expect((await get('follower', '/followed?id=999999')).status).toBe(404);
    expect((await get('follower', '/followed?id=x')).status).toBe(400);
    // Unfollowed: closed again, and gone from the list.
    await unfollow(t.db, follower, question);
    expect((await get('follower', `/followed?id=${question}`)).status).toBe(403);
    expect(await section('follower', 'following')).toEqual([]);
  });

  it('tells the follower\'s open pages when they follow or unfollow and when the followed question changes; nobody else\'s', async () => {
    await linkChat(t.db, follower, 'web', 'owner-follower-phone');
    const owners = ['owner-follower', 'owner-follower-phone', 'owner-stranger'];
    const feed = createInboxFeed({ db: t.db, now: () => clock.now() });
    const told = async () => Object.fromEntries([...(await feed(owners))].map(([owner, change]) => [owner, change]));
    expect(await told()).toEqual({});
    const mine = { inquiries: [question], registrations: false };
    await follow(t.db, follower, question, NOW);
    expect(await told()).toEqual({ 'owner-follower': mine, 'owner-follower-phone': mine });
    await addEntry(t.db, question, 'answer_correction', net.healthSpokesId, 'Tiêm sởi thứ Bảy và Chủ nhật.', NOW);
    await t.db.updateTable('inquiries').set({ status: 'answered' }).where('id', '=', question).execute();
    expect(await told()).toEqual({ 'owner-follower': mine, 'owner-follower-phone': mine });
    await unfollow(t.db, follower, question);
    expect(await told()).toEqual({ 'owner-follower': mine, 'owner-follower-phone': mine });
    // No longer followed: its changes are not theirs.
    await addEntry(t.db, question, 'followup', net.reporterId, 'Cảm ơn.', NOW);
    expect(await told()).toEqual({});
  });
});
