import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitError, type Button, type Platform } from '../../adapters/types.js';
import { createInquiry } from '../../db/repositories/inquiries.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import { replaceWithDigest } from '../../db/repositories/outbox-digest.js';
import type { Db } from '../../db/client.js';
import type { NewOutboxRow, OutboxRow } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { systemClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/** Committed a while ago: the rows have waited, as in a flood the chat cannot keep up with. */
const WAITED = '2026-11-23T02:00:00.000Z';

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDialects())('a flood of notices into one chat becomes one digest (%s)', (dialect) => {
  const prefix = uniquePrefix(`outbox-digest-${dialect}`);
  let t: TestDb;
  let net: MiniNetwork;
  let telegram: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let chatSeq = 0;

  async function newChat(): Promise<{ chatId: string; identityId: number; platform: Platform }> {
    const chatId = `sp-${++chatSeq}`;
    return { chatId, identityId: await linkChat(t.db, net.healthSpokesId, 'telegram', chatId), platform: 'telegram' };
  }

  async function notice(chat: { chatId: string; identityId: number; platform: Platform }, n: number, extra: Partial<NewOutboxRow> = {}, db: Db = t.db): Promise<{ id: number; code: string }> {
    const inquiry = await createInquiry(db, {
      reporterPersonId: net.reporterId, reporterIdentityId: chat.identityId, originChatId: 'r', originMessageId: String(n),
      topicId: net.healthTopicId, orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned',
      question: `Câu hỏi số ${n} về số ca sốt xuất huyết tuần này?`, receivedAt: WAITED,
    });
    const id = await insertOutbox(db, {
      queue: 'outbox', identity_id: chat.identityId, platform: chat.platform, chat_id: chat.chatId,
      text: `Câu hỏi mới ${inquiry.code}`, buttons: JSON.stringify([[{ label: 'Nhận xử lý', action: 'ack', payload: String(inquiry.id) }]]),
      reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: inquiry.id, ref_kind: 'staff_notice', ref_person_id: net.healthSpokesId,
      report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: WAITED, sent_at: null, ...extra,
    });
    return { id, code: inquiry.code ?? '' };
  }

  const rowsOf = (chatId: string): Promise<OutboxRow[]> => t.db.selectFrom('outbox').selectAll().where('chat_id', '=', chatId).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    telegram = createMemoryAdapter('telegram');
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map([['telegram', telegram]]),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock: systemClock,
      concurrency: 4, maxAttempts: 3, backoffMaxMs: 200, sweepMs: 200, leaseMs: 1000, onUnreachable: async () => {},
      digest: { threshold: 5 },
    });
    await dispatcher.start();
  });

  afterAll(async () => {
    await dispatcher?.close();
    await deletePrefix(prefix);
    await t?.drop();
  });

  it('sends twelve waiting notices as one message with every code as a button, and the other message alone', async () => {
    const chat = await newChat();
    // Committed together, as a burst the chat's drain finds waiting (the sweep may look at any moment).
    const { notices, plain } = await t.db.transaction().execute(async (tx) => {
    const notices: Array<{ id: number; code: string }> = [];
    for (let n = 1; n <= 6; n += 1) notices.push(await notice(chat, n, {}, tx));
    const plain = await insertOutbox(tx, {
      queue: 'outbox', identity_id: chat.identityId, platform: 'telegram', chat_id: chat.chatId, text: 'Tin khác, gửi riêng',
      buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: null,
      report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: WAITED, sent_at: null,
    });
    for (let n = 7; n <= 12; n += 1) notices.push(await notice(chat, n, {}, tx));
    return { notices, plain };
    });
    await dispatcher.enqueue([...notices.map((x) => x.id), plain]);

    const rows = await waitFor(async () => {
      const all = await rowsOf(chat.chatId);
      return all.every((r) => r.status === 'sent' || r.status === 'digested') ? all : undefined;
    });
    const digest = rows.find((r) => r.id > plain && r.inquiry_id === null)!;
    expect(digest.status).toBe('sent');
    for (const r of rows.filter((x) => x.ref_kind === 'staff_notice')) expect([r.status, r.digest_id]).toEqual(['digested', digest.id]);
    expect(rows.find((r) => r.id === plain)!.status).toBe('sent');
    const sent = telegram.deliveredTo(chat.chatId);
    expect(sent.map((p) => p.text)).toEqual(['Tin khác, gửi riêng', digest.text]);
    expect(digest.text).toMatch(/^12 câu hỏi mới/);
    for (const n of notices) expect(digest.text).toContain(n.code);
    const buttons = (JSON.parse(digest.buttons ?? '[]') as Button[][]).flat();
    expect(buttons.map((b) => [b.label, b.action, b.payload])).toEqual(notices.map((n) => [n.code, 'dgo', String(n.id)]));
  });

  it('a 429 from the platform: the notices that gathered behind it go out as one digest after the pause', async () => {
    const chat = await newChat();
    const now = () => new Date().toISOString();
    // Telegram's retry_after is seconds; past a second the waiting head is always checked for a backlog.
    telegram.failNext(chat.chatId, new RateLimitError(1200), 1);
    const first = await notice(chat, 200, { created_at: now() });
    await dispatcher.enqueue([first.id]);
    await waitFor(async () => (await rowsOf(chat.chatId))[0]?.next_attempt_at ?? undefined);
    const behind: Array<{ id: number; code: string }> = [];
    for (let n = 201; n <= 206; n += 1) behind.push(await notice(chat, n, { created_at: now() }));
    await dispatcher.enqueue(behind.map((x) => x.id));
    await waitFor(async () => {
      const all = await rowsOf(chat.chatId);
      return all.every((r) => r.status === 'sent' || r.status === 'digested') ? all : undefined;
    });
    const sent = telegram.deliveredTo(chat.chatId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toMatch(/^7 câu hỏi mới/);
    for (const n of [first, ...behind]) expect(sent[0]!.text).toContain(n.code);
  });

  it('sends notices one by one below the threshold', async () => {
    const chat = await newChat();
    const notices: Array<{ id: number; code: string }> = [];
    for (let n = 1; n <= 4; n += 1) notices.push(await notice(chat, 100 + n));
    await dispatcher.enqueue(notices.map((x) => x.id));
    const rows = await waitFor(async () => {
      const all = await rowsOf(chat.chatId);
      return all.every((r) => r.status !== 'pending') ? all : undefined;
    });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(telegram.deliveredTo(chat.chatId)).toHaveLength(4);
  });

  it('replaces all of its rows or none: a digest that fails before its commit leaves every notice pending', async () => {
    const chat = await newChat();
    // Rows of the notices queue: this test's dispatcher (the outbox queue's) never touches them.
    const notices: Array<{ id: number; code: string }> = [];
    for (let n = 1; n <= 6; n += 1) notices.push(await notice(chat, 200 + n, { queue: 'notices' }));
    // Another process's live claim on one notice: that one is left out, the others still make a digest.
    await t.db.updateTable('outbox').set({ lease_owner: 'other', lease_until: '2999-01-01T00:00:00.000Z' }).where('id', '=', notices[1]!.id).execute();
    const request = { chat: { queue: 'notices' as const, platform: 'telegram' as const, chatId: chat.chatId }, owner: 'me', headId: notices[0]!.id, minRows: 5, maxRows: 60 };
    await expect(replaceWithDigest(t.db, request, async () => { throw new Error('killed mid-transaction'); })).rejects.toThrow('killed');
    expect((await rowsOf(chat.chatId)).map((r) => r.status)).toEqual(Array(6).fill('pending'));
    const made = await replaceWithDigest(t.db, request, async (head) => ({
      queue: 'notices', identity_id: head.identity_id, platform: 'telegram', chat_id: chat.chatId, text: 'digest', buttons: null,
      reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null, ref_person_id: null, report_unreachable: 0,
      status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null, last_error: null, created_at: WAITED, sent_at: null,
    }));
    expect(made?.carried).toEqual(notices.filter((_n, i) => i !== 1).map((n) => n.id));
    const after = await rowsOf(chat.chatId);
    expect(after.filter((r) => r.status === 'digested').map((r) => r.id)).toEqual(made?.carried);
    expect(after.find((r) => r.id === notices[1]!.id)!.status).toBe('pending');
    // Running it again finds too few rows left: nothing is carried twice.
    expect(await replaceWithDigest(t.db, request, async () => { throw new Error('not called'); })).toBeUndefined();
  });
});
