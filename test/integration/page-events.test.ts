import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLiveStreams } from '../../adapters/web/live.js';
import { createSessionManager } from '../../adapters/web/sessions.js';
import { setIdentityLocale, touchIdentity } from '../../db/repositories/identities.js';
import { pruneExpired } from '../../db/repositories/housekeeping.js';
import { markRead } from '../../db/repositories/inbox.js';
import { addEntry, createInquiry } from '../../db/repositories/inquiries.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createInboxFeed } from '../../src/inbox/inbox-feed.js';
import { createPageEvents } from '../../src/inbox/page-events.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const AT = '2026-12-05T02:00:00.000Z';

describe.each(testDialects())('the web page\'s stream events beyond the timeline (%s)', (dialect) => {
  let db: TestDb;
  beforeEach(async () => { db = await createTestDb(dialect); });
  afterEach(async () => { await db.drop(); });

  it('tells a stream its language on its first poll, then only when it changes (written by anyone: no wake needed), with no event id', async () => {
    const store = createWebStore(db.db);
    const identity = await touchIdentity(db.db, { platform: 'web', platformUserId: 'owner-a', chatId: 'owner-a' }, AT);
    const sessions = createSessionManager({ store, idleTimeoutMs: 60_000, maxAgeMs: 600_000, now: () => Date.parse(AT) });
    const { session } = await sessions.create('owner-a', 0);
    const errors: unknown[] = [];
    const live = createLiveStreams({ store, now: () => Date.parse(AT), pollMs: 20, onError: (err) => { errors.push(err); }, events: createPageEvents({ db: db.db, defaultLocale: 'vi', now: () => new Date(AT) }) });
    const stream = live.open('owner-a', 0, session.tokenHash, () => undefined);
    const read = stream[Symbol.asyncIterator]();
    expect((await read.next()).value).toBe('event: language\ndata: {"language":"vi"}\n\n');
    // Recorded as another process would (no wake): the next poll finds it, once.
    await setIdentityLocale(db.db, identity.id, 'en', AT);
    expect((await read.next()).value).toBe('event: language\ndata: {"language":"en"}\n\n');
    await store.appendMessage({ chatId: 'owner-a', from: 'bot', text: 'Language set to English.', at: AT });
    // The next chunk is the timeline's entry, not the same language again.
    expect((await read.next()).value).toMatch(/^id: 1\nevent: message\n/);
    live.closeAll();
    expect(errors).toEqual([]);
  });

  it('tells each open page whose inbox a change concerns: the reporter, the agency (and the one a transfer left), the coordinator; nobody else', async () => {
    const net = await seedMiniNetwork(db.db);
    const owners = { reporter: 'w-rep', health: 'w-syt', finance: 'w-stc', police: 'w-ca', coordinator: 'w-dm' };
    for (const [who, personId] of [['reporter', net.reporterId], ['health', net.healthSpokesId], ['finance', net.financeSpokesId], ['police', net.policeSpokesId], ['coordinator', net.coordinatorId]] as const) {
      await linkChat(db.db, personId, 'web', owners[who]);
    }
    let nowMs = Date.parse(AT);
    const feed = createInboxFeed({ db: db.db, now: () => new Date(nowMs), gapWaitMs: 1000 });
    const all = Object.values(owners);
    const told = async () => Object.fromEntries([...(await feed(all))].map(([owner, change]) => [owner, change]));
    expect(await told()).toEqual({});
    // A new question to the health department (by the flows or anything else: a trigger writes the mark).
    const reporterIdentity = await linkChat(db.db, net.reporterId, 'telegram', 'tg-rep');
    const q = await createInquiry(db.db, { reporterPersonId: net.reporterId, reporterIdentityId: reporterIdentity, originChatId: 'tg-rep', originMessageId: '1', topicId: net.healthTopicId, orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Lịch tiêm vắc-xin?', receivedAt: AT });
    const health = { inquiries: [q.id], registrations: false };
    expect(await told()).toEqual({ [owners.reporter]: health, [owners.health]: health, [owners.coordinator]: health });
    expect(await told()).toEqual({});
    // A new entry, a due time, then a transfer to finance: health is told it left, finance that it came.
    await addEntry(db.db, q.id, 'followup', net.reporterId, 'Hỏi thêm', AT);
    await db.db.updateTable('inquiries').set({ due_at: '2026-12-08T17:00:00.000Z' }).where('id', '=', q.id).execute();
    expect(Object.keys(await told()).sort()).toEqual([owners.coordinator, owners.health, owners.reporter].sort());
    await db.db.updateTable('inquiries').set({ org_id: net.financeId }).where('id', '=', q.id).execute();
    expect(Object.keys(await told()).sort()).toEqual([owners.coordinator, owners.finance, owners.health, owners.reporter].sort());
    // A column no inbox shows changes nothing.
    await db.db.updateTable('inquiries').set({ first_response_office_min: 5 }).where('id', '=', q.id).execute();
    expect(await told()).toEqual({});
    // A reporter registration filed: the coordinators' list of registrations.
    await db.db.insertInto('role_assignments').values({ person_id: net.reporterId, role: 'reporter', kind: null, org_id: null, status: 'pending', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: AT, updated_at: AT }).execute();
    expect(await told()).toEqual({ [owners.coordinator]: { inquiries: [], registrations: true } });
    // PostgreSQL hands out ids before commit: a lower id that becomes visible after a higher one is still told.
    const top = Number((await db.db.selectFrom('inbox_changes').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
    await db.db.insertInto('inbox_changes').values({ id: top + 5, inquiry_id: q.id, agency_id: net.financeId, reporter_person_id: null }).execute();
    expect(Object.keys(await told()).sort()).toEqual([owners.coordinator, owners.finance].sort());
    await db.db.insertInto('inbox_changes').values({ id: top + 2, inquiry_id: q.id, agency_id: net.policeId, reporter_person_id: null }).execute();
    expect(Object.keys(await told()).sort()).toEqual([owners.coordinator, owners.police].sort());
    expect(await told()).toEqual({});
    // Kept a day by the nightly housekeeping (the database's clock wrote `at`).
    const pruned = await pruneExpired(db.db, new Date(Date.now() + 2 * 86_400_000), { choiceMenusMs: 1, linkCodesMs: 1, inboundEventsMs: 1, webMessagesMs: 1e12, inboxChangesMs: 86_400_000 });
    expect(pruned.inboxChanges).toBeGreaterThanOrEqual(6);
    // Nobody asked for a minute (no page open here): the next call starts from the newest change.
    await addEntry(db.db, q.id, 'followup', net.reporterId, 'Hỏi lại', AT);
    nowMs += 61_000;
    expect(await told()).toEqual({});
  });

  it('tells the reader\'s own pages, and nobody else\'s, when they read a thread (any tab or device); reading it again with nothing new tells nobody', async () => {
    const net = await seedMiniNetwork(db.db);
    const owners = { reporter: 'w-rep', health: 'w-syt', healthPhone: 'w-syt-2', coordinator: 'w-dm' };
    await linkChat(db.db, net.reporterId, 'web', owners.reporter);
    await linkChat(db.db, net.healthSpokesId, 'web', owners.health);
    await linkChat(db.db, net.healthSpokesId, 'web', owners.healthPhone);
    await linkChat(db.db, net.coordinatorId, 'web', owners.coordinator);
    const feed = createInboxFeed({ db: db.db, now: () => new Date(AT) });
    const all = Object.values(owners);
    const told = async () => Object.fromEntries([...(await feed(all))].map(([owner, change]) => [owner, change]));
    expect(await told()).toEqual({});
    const reporterIdentity = await linkChat(db.db, net.reporterId, 'telegram', 'tg-rep');
    const q = await createInquiry(db.db, { reporterPersonId: net.reporterId, reporterIdentityId: reporterIdentity, originChatId: 'tg-rep', originMessageId: '1', topicId: net.healthTopicId, orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Lịch tiêm vắc-xin?', receivedAt: AT });
    await addEntry(db.db, q.id, 'question', net.reporterId, 'Lịch tiêm vắc-xin?', AT);
    expect(Object.keys(await told()).sort()).toEqual(all.slice().sort());
    // The spokesperson opens the thread in one tab: both of their pages are told it was read, nobody else.
    await markRead(db.db, net.healthSpokesId, q.id, AT);
    const read = { inquiries: [], registrations: false, read: [q.id] };
    expect(await told()).toEqual({ [owners.health]: read, [owners.healthPhone]: read });
    // Opened again (another tab reloading the same thread) with nothing new: nothing to tell.
    await markRead(db.db, net.healthSpokesId, q.id, AT);
    expect(await told()).toEqual({});
  });
});

