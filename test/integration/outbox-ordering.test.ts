import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError, type Platform } from '../../adapters/types.js';
import { findOutbox, insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow, OutboxRow } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { systemClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const NOW = '2026-11-23T02:00:00.000Z';

/** Polls `probe` until it returns something other than `undefined`/`false`; fails after `timeoutMs`. */
async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDialects())('outbox ordering and recovery on %s', (dialect) => {
  const prefix = uniquePrefix(`outbox-order-${dialect}`);
  let t: TestDb;
  let telegram: MemoryAdapter;
  let zalo: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let personId: number;
  let chatSeq = 0;

  const start = async (): Promise<OutboxDispatcher> => {
    const d = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix,
      adapters: new Map<Platform, MemoryAdapter>([['telegram', telegram], ['zalo_oa', zalo]]),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock: systemClock,
      concurrency: 8, maxAttempts: 5, backoffMaxMs: 200, backoffBaseMs: 20, sweepMs: 100, leaseMs: 500,
      onUnreachable: async () => {},
    });
    await d.start();
    return d;
  };

  async function newChat(platform: Platform = 'telegram'): Promise<{ chatId: string; identityId: number; platform: Platform }> {
    const chatId = `o${++chatSeq}`;
    const identity = await t.db.insertInto('identities').values({
      platform, platform_user_id: chatId, chat_id: chatId, person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow();
    return { chatId, identityId: identity.id, platform };
  }

  function pending(chat: { chatId: string; identityId: number; platform: Platform }, extra: Partial<NewOutboxRow> = {}): NewOutboxRow {
    return {
      queue: 'outbox', identity_id: chat.identityId, platform: chat.platform, chat_id: chat.chatId, text: 'Xin chào',
      buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
      ref_person_id: null, report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0,
      sent_message_id: null, sent_message_ids: null, last_error: null, created_at: NOW, sent_at: null, ...extra,
    };
  }

  const allSettled = (ids: number[]) => waitFor(async () => {
    const rows = await t.db.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return rows.every((r) => r.status !== 'pending') ? rows : undefined;
  });

  beforeAll(async () => {
    t = await createTestDb(dialect);
    personId = (await t.db.insertInto('persons').values({
      full_name: 'Lê Văn C', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow()).id;
    telegram = createMemoryAdapter('telegram');
    zalo = createMemoryAdapter('zalo_oa', { maxTextLength: 40 });
    dispatcher = await start();
  });

  afterAll(async () => {
    await dispatcher?.close();
    await t?.drop();
    await deletePrefix(prefix);
  });

  it('delivers 20 rows to one chat in commit order under concurrency 8', async () => {
    const chat = await newChat();
    telegram.setLatency((chatId) => (chatId === chat.chatId ? Math.floor(Math.random() * 10) : 0));
    const ids: number[] = [];
    for (let i = 1; i <= 20; i++) ids.push(await insertOutbox(t.db, pending(chat, { text: `message ${i}` })));
    await dispatcher.enqueue([...ids].reverse());
    await allSettled(ids);
    telegram.setLatency(0);
    expect(telegram.deliveredTo(chat.chatId).map((p) => p.text)).toEqual(ids.map((_, i) => `message ${i + 1}`));
  });

  it('threads a reply under the message an earlier row produced', async () => {
    const chat = await newChat();
    const first = await insertOutbox(t.db, pending(chat, { text: 'staff notice' }));
    const reply = await insertOutbox(t.db, pending(chat, { text: 'reminder', reply_to_outbox_id: first }));
    await dispatcher.enqueue([reply]);
    await dispatcher.enqueue([first]);
    const [sentFirst] = await allSettled([first, reply]);
    const parts = telegram.deliveredTo(chat.chatId);
    expect(parts.map((p) => p.text)).toEqual(['staff notice', 'reminder']);
    expect(parts[1]?.replyTo).toBe(sentFirst?.sent_message_id);
  });

  it('sends without a reply when the replied-to row failed', async () => {
    const chat = await newChat();
    const failed = await insertOutbox(t.db, pending(chat, { status: 'failed', last_error: 'bad_request: x' }));
    const id = await insertOutbox(t.db, pending(chat, { text: 'follow-up', reply_to_outbox_id: failed }));
    await dispatcher.enqueue([id]);
    await allSettled([id]);
    expect(telegram.deliveredTo(chat.chatId)).toEqual([expect.not.objectContaining({ replyTo: expect.anything() })]);
  });

  it('retries a split text from the failed part without re-sending earlier parts', async () => {
    const chat = await newChat('zalo_oa');
    zalo.failNext(chat.chatId, new TransientError('timeout'), 1, { onPart: 1 });
    const text = 'Phần một của câu trả lời.\n\nPhần hai của câu trả lời.\n\nPhần ba của câu trả lời.';
    const id = await insertOutbox(t.db, pending(chat, { text }));
    await dispatcher.enqueue([id]);
    const [row] = await allSettled([id]);
    const parts = zalo.deliveredTo(chat.chatId);
    expect(parts.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, parts_sent: 3, sent_message_id: parts[0]?.messageId });
    expect(JSON.parse(row?.sent_message_ids ?? '[]')).toEqual(parts.map((p) => p.messageId));
    expect(zalo.sends.filter((s) => s.chatId === chat.chatId).map((s) => s.skipParts)).toEqual([0, 1]);
  });

  it('revives an older row whose job was lost, then delivers both in order', async () => {
    const chat = await newChat();
    const lost = await insertOutbox(t.db, pending(chat, { text: 'never enqueued' }));
    const next = await insertOutbox(t.db, pending(chat, { text: 'enqueued' }));
    await dispatcher.enqueue([next]);
    await allSettled([lost, next]);
    expect(telegram.deliveredTo(chat.chatId).map((p) => p.text)).toEqual(['never enqueued', 'enqueued']);
  });

  it('after a restart, reconcile delivers rows committed while no dispatcher ran, each once', async () => {
    const chat = await newChat();
    const before = await insertOutbox(t.db, pending(chat, { text: 'before' }));
    await dispatcher.enqueue([before]);
    await allSettled([before]);
    await dispatcher.close();
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await insertOutbox(t.db, pending(chat, { text: `while down ${i}` })));
    dispatcher = await start();
    expect(await dispatcher.reconcile()).toBe(1); // one chat, five rows
    const rows: OutboxRow[] = await allSettled(ids);
    expect(rows.map((r) => r.status)).toEqual(Array(5).fill('sent'));
    expect(await dispatcher.reconcile()).toBe(0);
    expect(telegram.deliveredTo(chat.chatId).map((p) => p.text)).toEqual(['before', ...ids.map((_, i) => `while down ${i + 1}`)]);
    expect((await findOutbox(t.db, before))?.attempts).toBe(1);
  });
});
