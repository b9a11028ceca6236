import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { registerDbStatements } from '../../src/http/metrics.js';
import { findOrg, findPerson, findTopic, orgAncestorIds, personWithRoles, rolesOf, topicWithOrg } from '../../db/repositories/directory.js';
import { overridesUpTheTree } from '../../db/repositories/deadlines.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';
import { createInquiry } from '../../db/repositories/inquiries.js';
import { findOutbox, insertDeliveryRefs, insertOutbox, markOutboxSentWithRefs } from '../../db/repositories/outbox.js';
import { createFlowDriver } from '../helpers/flow-driver.js';
import { createMemoryAdapter } from '../helpers/memory-adapter.js';
import { createManualClock } from '../../src/time/clock.js';
import { Queue } from 'bullmq';
import type { Db } from '../../db/client.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createLogger } from '../../src/logger.js';
import { createDeadlineScheduler, defaultDeadlineSettings, type DeadlineJobData } from '../../src/scheduler/deadlines/index.js';
import { deadlineJobId, QUEUE_NAMES } from '../../src/scheduler/queues.js';
import { createCalendarCache } from '../../src/time/calendar-cache.js';
import { createOutboxDispatcher } from '../../src/outbox/dispatcher.js';
import type { OutboxJobData } from '../../src/outbox/types.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

describe.each(testDialects())('database statement counter (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('counts each statement on both handles, BEGIN and COMMIT included, and serves the total on /metrics', async () => {
    h = await createTestDb(dialect);
    const start = h.statements();
    await sql`select 1`.execute(h.db);
    expect(h.statements()).toBe(start + 1);
    await sql`select 1`.execute(h.priority);
    expect(h.statements()).toBe(start + 2);
    await h.db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      await sql`select 2`.execute(tx);
    });
    // begin, two selects, commit
    expect(h.statements()).toBe(start + 6);
    await expect(sql`select * from no_such_table`.execute(h.db)).rejects.toThrow();
    expect(h.statements()).toBe(start + 7);

    const registry = new Registry();
    registerDbStatements(registry, () => h!.statements(), h.commits && (() => h!.commits!()));
    const total = (text: string) => Number(/^db_statements_total (\d+)$/m.exec(text)?.[1]);
    expect(total(await registry.metrics())).toBe(h.statements());
    await sql`select 1`.execute(h.db);
    expect(total(await registry.metrics())).toBe(h.statements());
    // SQLite's group commit: one COMMIT for the writes of one turn, served as db_commits_total.
    const commits = (text: string) => /^db_commits_total (\d+)$/m.exec(text)?.[1];
    if (dialect === 'postgres') {
      expect(h.commits).toBeUndefined();
      expect(commits(await registry.metrics())).toBeUndefined();
      return;
    }
    const before = h.commits!();
    await Promise.all([1, 2, 3].map((n) => sql`create table if not exists counted_${sql.raw(String(n))} (id integer)`.execute(h!.db)));
    expect(h.commits!() - before).toBe(1);
    expect(Number(commits(await registry.metrics()))).toBe(h.commits!());
  });

  it('reads an organisation\'s ancestors in one statement (alone, or with the deadline overrides held along them), nearest first, stopping at a missing parent or a cycle', async () => {
    h = await createTestDb(dialect);
    const at = '2026-01-01T00:00:00.000Z';
    const add = async (code: string, parentId: number | null) => (await h!.db.insertInto('orgs').values({
      code, name: code, name_en: null, type: 'department', parent_id: parentId, predecessor_id: null,
      valid_from: null, valid_to: null, screening: 0, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const root = await add('T-ROOT', null);
    const mid = await add('T-MID', root);
    const leaf = await add('T-LEAF', mid);
    const before = h.statements();
    expect(await orgAncestorIds(h.db, leaf)).toEqual([leaf, mid, root]);
    expect(h.statements()).toBe(before + 1);
    expect(await orgAncestorIds(h.db, 999_999)).toEqual([999_999]);
    // A cycle in bad data ends where it repeats.
    const a = await add('T-A', null);
    const b = await add('T-B', a);
    await h.db.updateTable('orgs').set({ parent_id: b }).where('id', '=', a).execute();
    expect(await orgAncestorIds(h.db, b)).toEqual([b, a]);
    // The same chain with the overrides held along it, in one statement, each override once.
    const override = (orgId: number, amount: number, deadlineClass: 'routine' | 'incident' = 'routine') => h!.db.insertInto('deadline_overrides').values({
      org_id: orgId, deadline_class: deadlineClass, amount, unit: 'working_days', legal_basis: `QĐ ${amount}`, valid_from: null, valid_to: null, created_at: at, updated_at: at,
    }).execute();
    await override(root, 10);
    await override(leaf, 3);
    await override(leaf, 7, 'incident');
    await override(a, 4);
    const before2 = h.statements();
    const { chain, overrides } = await overridesUpTheTree(h.db, leaf, 'routine');
    expect(h.statements()).toBe(before2 + 1);
    expect(chain).toEqual([leaf, mid, root]);
    expect([...overrides].map(([org, list]) => [org, list.map((o) => o.amount)])).toEqual([[leaf, [3]], [root, [10]]]);
    expect(overrides.get(leaf)?.[0]).toMatchObject({ org_id: leaf, deadline_class: 'routine', unit: 'working_days', legal_basis: 'QĐ 3' });
    const cycled = await overridesUpTheTree(h.db, b, 'routine');
    expect(cycled.chain).toEqual([b, a]);
    expect([...cycled.overrides].map(([org, list]) => [org, list.length])).toEqual([[a, 1]]);
    expect((await overridesUpTheTree(h.db, 999_999, 'routine')).chain).toEqual([999_999]);
  });

  it('reads a person with their roles in force in one statement, as the two reads it replaces', async () => {
    h = await createTestDb(dialect);
    const net = await seedMiniNetwork(h.db);
    const at = '2026-01-01T00:00:00.000Z';
    const role = (validFrom: string | null, validTo: string | null) => h!.db.insertInto('role_assignments').values({
      person_id: net.healthSpokesId, role: 'spokesperson', kind: 'regular', org_id: net.healthId, status: 'active', case_inquiry_id: null,
      valid_from: validFrom, valid_to: validTo, created_at: at, updated_at: at,
    }).execute();
    await role('2026-01-01', '2026-12-31');
    await role('2027-01-01', null);
    await role(null, '2026-06-30');
    for (const personId of [net.healthSpokesId, net.reporterId]) {
      const before = h.statements();
      const both = await personWithRoles(h.db, personId, '2026-11-23');
      expect(h.statements()).toBe(before + 1);
      expect(both).toEqual({ person: await findPerson(h.db, personId), roles: await rolesOf(h.db, personId, '2026-11-23') });
    }
    expect((await personWithRoles(h.db, net.healthSpokesId, '2026-11-23')).roles.length).toBeGreaterThanOrEqual(2);
    expect(await personWithRoles(h.db, 999_999, '2026-11-23')).toEqual({ person: undefined, roles: [] });
  });

  it('reads a topic with its organisation in one statement, as the two reads it replaces', async () => {
    h = await createTestDb(dialect);
    const net = await seedMiniNetwork(h.db);
    const before = h.statements();
    const both = await topicWithOrg(h.db, net.healthTopicId);
    expect(h.statements()).toBe(before + 1);
    const topic = await findTopic(h.db, net.healthTopicId);
    expect(both).toEqual({ topic, org: await findOrg(h.db, topic!.org_id) });
    expect(await topicWithOrg(h.db, 999_999)).toEqual({ topic: undefined, org: undefined });
  });

  it('records a delivered inquiry message without BEGIN/COMMIT (one statement on PostgreSQL, two on SQLite), its refs written once', async () => {
    h = await createTestDb(dialect);
    const net = await seedMiniNetwork(h.db);
    const identityId = await linkChat(h.db, net.healthSpokesId, 'telegram', 'u-sp');
    const inquiry = await createInquiry(h.db, {
      reporterPersonId: net.reporterId, reporterIdentityId: identityId, originChatId: 'u-sp', originMessageId: '1', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Câu hỏi?', receivedAt: '2026-11-23T02:00:00.000Z',
    });
    const id = await insertOutbox(h.db, {
      queue: 'outbox', identity_id: identityId, platform: 'telegram', chat_id: 'u-sp', text: 'Câu hỏi mới', masked_text: null, secrets: null, buttons: null,
      reply_to_message_id: null, reply_to_outbox_id: null, edit_of_outbox_id: null, edit_text: null, inquiry_id: inquiry.id, ref_kind: 'staff_notice',
      ref_person_id: net.healthSpokesId, report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: '2026-11-23T02:00:00.000Z', sent_at: null, attachments: null,
    });
    const row = (await findOutbox(h.db, id))!;
    const outcome = { messageIds: ['m1', 'm2'], sentAt: '2026-11-23T02:00:01.000Z', attempts: 1 };
    const before = h.statements();
    // Nothing else pending in the chat: the mark says so, and the drain reads no head to know it.
    expect(await markOutboxSentWithRefs(h.db, row, outcome)).toEqual({ more: false });
    expect(h.statements() - before).toBe(dialect === 'postgres' ? 1 : 2);
    // A retried record (or another copy's) finds the row sent and writes no ref twice.
    expect(await markOutboxSentWithRefs(h.db, row, outcome)).toBeUndefined();
    await insertDeliveryRefs(h.db, row, outcome.messageIds, outcome.sentAt);
    expect(await findOutbox(h.db, id)).toMatchObject({ status: 'sent', sent_message_ids: JSON.stringify(['m1', 'm2']) });
    const refs = await h.db.selectFrom('message_refs').select(['message_id', 'inquiry_id', 'kind', 'person_id']).where('chat_id', '=', 'u-sp').orderBy('message_id').execute();
    expect(refs).toEqual(['m1', 'm2'].map((m) => ({ message_id: m, inquiry_id: inquiry.id, kind: 'staff_notice', person_id: net.healthSpokesId })));
  });

  it('delivers a confirmation and a notification through the dispatcher, each drain ending with its mark: no read of an empty chat', async () => {
    h = await createTestDb(dialect);
    const net = await seedMiniNetwork(h.db);
    const reporter = { id: await linkChat(h.db, net.reporterId, 'telegram', 'u-rep'), chat: 'u-rep' };
    const spokes = { id: await linkChat(h.db, net.healthSpokesId, 'telegram', 'u-sp'), chat: 'u-sp' };
    const inquiry = await createInquiry(h.db, {
      reporterPersonId: net.reporterId, reporterIdentityId: reporter.id, originChatId: 'u-rep', originMessageId: '1', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Câu hỏi?', receivedAt: '2026-11-23T02:00:00.000Z',
    });
    const add = (to: { id: number; chat: string }, text: string, ref: boolean) => insertOutbox(h!.db, {
      queue: 'outbox', identity_id: to.id, platform: 'telegram', chat_id: to.chat, text, masked_text: null, secrets: null, buttons: null,
      reply_to_message_id: null, reply_to_outbox_id: null, edit_of_outbox_id: null, edit_text: null, inquiry_id: ref ? inquiry.id : null, ref_kind: ref ? 'staff_notice' : null,
      ref_person_id: ref ? net.healthSpokesId : null, report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: '2026-11-23T02:00:00.000Z', sent_at: null, attachments: null,
    });
    const prefix = uniquePrefix(`deliveries-${dialect}`);
    const adapter = createMemoryAdapter('telegram');
    const dispatcher = createOutboxDispatcher({
      db: h.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map([['telegram', adapter]]), logger: createLogger({ level: 'silent' }),
      clock: createManualClock('2026-11-23T02:00:00Z'), concurrency: 1, maxAttempts: 3, backoffMaxMs: 200, sweepMs: 600_000, onUnreachable: async () => undefined,
    });
    const jobs = new Queue<OutboxJobData>('outbox', { connection: { url: TEST_REDIS_URL }, prefix });
    // Waits on Redis, the fake platform and the dispatcher only, so the count is the deliveries' own
    // (the drains woken by `enqueue` run in this process, without a job).
    const settled = async (parts: number) => {
      for (let tries = 0; tries < 500; tries += 1) {
        await dispatcher.idle();
        const counts = await jobs.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (adapter.delivered.length >= parts && Object.values(counts).every((n) => n === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('deliveries did not settle');
    };
    try {
      await dispatcher.start();
      const confirmation = await add(reporter, 'Đã tiếp nhận', false);
      const notice = await add(spokes, 'Câu hỏi mới', true);
      const before = h.statements();
      await dispatcher.enqueue([confirmation, notice], [
        { id: confirmation, queue: 'outbox', platform: 'telegram', chatId: 'u-rep' }, { id: notice, queue: 'outbox', platform: 'telegram', chatId: 'u-sp' },
      ]);
      await settled(2);
      // Each: claim-and-read, then its mark (SQLite writes the notification's refs first).
      expect(h.statements() - before).toBe(DELIVERY_BUDGET[dialect]);
      // Two rows in one chat: the first mark sees the second, claimed next in one statement; the second's mark ends the drain.
      const first = await add(spokes, 'Câu hỏi mới 2', true);
      const second = await add(spokes, 'Câu hỏi mới 3', true);
      const beforeTwo = h.statements();
      await dispatcher.enqueue([first, second], [first, second].map((id) => ({ id, queue: 'outbox' as const, platform: 'telegram' as const, chatId: 'u-sp' })));
      await settled(4);
      expect(h.statements() - beforeTwo).toBe(dialect === 'postgres' ? 4 : 6);
      expect(adapter.deliveredTo('u-sp').map((p) => p.text)).toEqual(['Câu hỏi mới', 'Câu hỏi mới 2', 'Câu hỏi mới 3']);
      const rows = await h.db.selectFrom('outbox').select(['id', 'status']).orderBy('id').execute();
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
      expect(await h.db.selectFrom('message_refs').select('message_id').where('chat_id', '=', 'u-sp').execute()).toHaveLength(3);
    } finally {
      await jobs.close();
      await dispatcher.close();
      await deletePrefix(prefix);
    }
  });

  it('writes a new inquiry\'s code in its insert, one statement, never reusing the id of a deleted one', async () => {
    h = await createTestDb(dialect);
    const net = await seedMiniNetwork(h.db);
    const identityId = await linkChat(h.db, net.reporterId, 'telegram', 'u-rep');
    const create = () => createInquiry(h!.db, {
      reporterPersonId: net.reporterId, reporterIdentityId: identityId, originChatId: 'u-rep', originMessageId: '1', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Câu hỏi?', receivedAt: '2026-11-23T02:00:00.000Z',
    });
    const before = h.statements();
    const first = await create();
    expect(h.statements()).toBe(before + 1);
    expect(first.code).toBe(`Q-${first.id}`);
    await h.db.deleteFrom('inquiries').where('id', '=', first.id).execute();
    const second = await create();
    expect(second.id).toBeGreaterThan(first.id);
    expect(second).toMatchObject({ code: `Q-${second.id}`, status: 'assigned', question: 'Câu hỏi?' });
  });

  it('a reporter\'s "Gửi" costs a bounded number of statements, the deadline job\'s planning after commit included (round trips of issue 12)', async () => {
    h = await createTestDb(dialect);
    await seedMiniNetwork(h.db);
    const clock = createManualClock('2026-11-23T02:00:00Z');
    const prefix = uniquePrefix(`budget-${dialect}`);
    // As src/main.ts wires them: a cached calendar, and the real deadline scheduler after commit.
    const calendar = createCalendarCache((via?: Db) => loadCalendar(via ?? h!.db), 60_000);
    const deadlines = createDeadlineScheduler({
      db: h.db, redis: { url: TEST_REDIS_URL }, prefix, logger: createLogger({ level: 'silent' }), clock,
      settings: defaultDeadlineSettings(), loadCalendar: () => calendar(), onFire: async () => [], enqueueOutbox: async () => undefined,
    });
    const dispatcher = createOutboxDispatcher({
      db: h.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map(), logger: createLogger({ level: 'silent' }), clock,
      concurrency: 1, maxAttempts: 3, backoffMaxMs: 200, onUnreachable: async () => undefined,
    });
    const queue = new Queue<DeadlineJobData>(QUEUE_NAMES.deadlines, { connection: { url: TEST_REDIS_URL }, prefix });
    const drains = new Queue<OutboxJobData>('outbox', { connection: { url: TEST_REDIS_URL }, prefix });
    try {
      const bot = createFlowDriver(h.db, clock, {
        loadCalendar: (via) => calendar(via), syncDeadlines: (ids, created) => deadlines.sync(ids, created), enqueueOutbox: (ids, chats) => dispatcher.enqueue(ids, chats),
      });
      await bot.command('101', 'start', 'inv-pv1');
      await bot.command('201', 'start', 'inv-pn-syt');
      await bot.say('101', 'Tình hình sốt xuất huyết tại Huế tuần này thế nào?');
      const beforeTopic = h.statements();
      await bot.press('101', 'Y tế');
      // The topic step: its own reads and writes plus the one statement that looks for similar questions.
      expect(h.statements() - beforeTopic).toBeLessThanOrEqual(TOPIC_BUDGET);
      // Warm, as in a running bot (read again once a minute).
      await calendar();
      const before = h.statements();
      await bot.press('101', 'Gửi');
      const spent = h.statements() - before;
      expect(bot.last('101').text).toMatch(/Đã tiếp nhận câu hỏi Q-\d+/);
      expect(bot.last('201').text).toContain('sốt xuất huyết');
      // The stored event (1), the flow's transaction (16; 6 on PostgreSQL), after commit the outbox rows' chats and
      // the deadline job's planning (none: they come from what the transaction knew), and this
      // driver's own delivery (4).
      const chats = (await drains.getJobs(['waiting', 'delayed'])).map((j) => ('chatId' in j.data ? j.data.chatId : '')).sort();
      expect(chats).toEqual(expect.arrayContaining(['101', '201']));
      expect(spent).toBeLessThanOrEqual(BUDGET[dialect]);
      const inquiryId = bot.deadlineSyncs.at(-1)!;
      const planned = (await queue.getJob(deadlineJobId(inquiryId)))?.data;
      expect(planned?.inquiryId).toBe(inquiryId);
      // The same job as one planned from the database.
      await deadlines.sync([inquiryId]);
      expect((await queue.getJob(deadlineJobId(inquiryId)))?.data).toEqual(planned);
    } finally {
      await queue.close();
      await drains.close();
      await deadlines.close();
      await dispatcher.close();
      await deletePrefix(prefix);
    }
  });
});

/**
 * Statements of the "Gửi" press above, as measured on each database; lower it when a change saves
 * some. PostgreSQL writes the question's ref, entry, dialog end and audit in one statement, reads
 * the agency's spokespersons with the topic, and writes the confirmation and the notices in one.
 */
const BUDGET = { sqlite: 21, postgres: 11 } as const;
/**
 * Statements of delivering a confirmation (no refs) and a notification (refs) to two chats through
 * the dispatcher: a claim that reads the head and a mark that says the chat is empty, each; SQLite
 * writes the refs in a statement of their own.
 */
const DELIVERY_BUDGET = { sqlite: 5, postgres: 4 } as const;
/** Statements of the topic press, as measured on both databases: 15 before the similar-questions lookup (7 Dec 2026), which adds one; 15 since the topic and its organisation are read in one. */
const TOPIC_BUDGET = 15;

