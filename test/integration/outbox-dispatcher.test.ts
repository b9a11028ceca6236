import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestError, RateLimitError, TransientError, UnreachableError, type Platform,
} from '../../adapters/types.js';
import { findOutbox, insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow, OutboxRow } from '../../db/schema.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const NOW = '2026-11-23T02:00:00.000Z';

/** Polls `probe` until it returns something other than `undefined`/`false`; fails after `timeoutMs`. */
async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDialects())('outbox dispatcher on %s', (dialect) => {
  const prefix = uniquePrefix(`outbox-${dialect}`);
  const clock = createManualClock(NOW);
  const metrics = createMetrics();
  const reported: Array<{ id: number; reason: string }> = [];
  let t: TestDb;
  let adapter: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let inspect: Queue;
  let personId: number;
  let inquiryId: number;
  let chatSeq = 0;

  /** A fresh identity and chat per test, so one test's stuck row never holds up another's chat. */
  async function newChat(platform: Platform = 'telegram'): Promise<{ chatId: string; identityId: number }> {
    const chatId = `c${++chatSeq}`;
    const identity = await t.db.insertInto('identities').values({
      platform, platform_user_id: chatId, chat_id: chatId, person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow();
    return { chatId, identityId: identity.id };
  }

  function pending(chat: { chatId: string; identityId: number }, extra: Partial<NewOutboxRow> = {}): NewOutboxRow {
    return {
      queue: 'outbox', identity_id: chat.identityId, platform: 'telegram', chat_id: chat.chatId, text: 'Xin chào',
      buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
      ref_person_id: null, report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0,
      sent_message_id: null, sent_message_ids: null, last_error: null, created_at: NOW, sent_at: null, ...extra,
    };
  }

  const settled = (id: number) => waitFor(async () => {
    const row = await findOutbox(t.db, id);
    return row && row.status !== 'pending' ? row : undefined;
  });
  // The drains `enqueue` wakes run in this process (no job): both must be done.
  const drained = () => waitFor(async () => {
    await dispatcher.idle();
    const counts = await inspect.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).every((n) => n === 0);
  });

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const person = await t.db.insertInto('persons').values({
      full_name: 'Trần Thị B', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow();
    personId = person.id;
    const reporter = await newChat();
    inquiryId = (await t.db.insertInto('inquiries').values({
      reporter_person_id: personId, reporter_identity_id: reporter.identityId, origin_chat_id: reporter.chatId,
      origin_message_id: '1', status: 'assigned', question: 'Q?', received_at: NOW, urgent_requested: 0,
      created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow()).id;
    adapter = createMemoryAdapter('telegram');
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map([['telegram', adapter]]),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock,
      concurrency: 8, maxAttempts: 3, backoffMaxMs: 200, backoffBaseMs: 20, metrics,
      onUnreachable: async (row, reason) => { reported.push({ id: row.id, reason }); },
    });
    await dispatcher.start();
    inspect = new Queue('outbox', { connection: { url: TEST_REDIS_URL }, prefix });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await inspect?.close();
    await t?.drop();
    await deletePrefix(prefix);
  });

  it('delivers a committed row exactly once and writes its message refs', async () => {
    const chat = await newChat();
    const id = await insertOutbox(t.db, pending(chat, { inquiry_id: inquiryId, ref_kind: 'answer', ref_person_id: personId }));
    await Promise.all([dispatcher.enqueue([id]), dispatcher.enqueue([id, id])]);
    const row = await settled(id);
    await dispatcher.enqueue([id]);
    await drained();
    const parts = adapter.deliveredTo(chat.chatId);
    expect(parts.map((p) => p.text)).toEqual(['Xin chào']);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, parts_sent: 1, sent_at: NOW, sent_message_id: parts[0]?.messageId });
    const refs = await t.db.selectFrom('message_refs').selectAll().where('chat_id', '=', chat.chatId).execute();
    expect(refs).toEqual([expect.objectContaining({
      platform: 'telegram', message_id: parts[0]?.messageId, inquiry_id: inquiryId, kind: 'answer', person_id: personId,
    })]);
  });

  it('postpones on a rate limit without consuming an attempt', async () => {
    const chat = await newChat();
    adapter.failNext(chat.chatId, new RateLimitError(300), 1);
    const id = await insertOutbox(t.db, pending(chat));
    await dispatcher.enqueue([id]);
    const row = await settled(id);
    const calls = adapter.sends.filter((s) => s.chatId === chat.chatId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(adapter.deliveredTo(chat.chatId)).toHaveLength(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at.getTime() - calls[0]!.at.getTime()).toBeGreaterThanOrEqual(290);
    expect((await metrics.outboxRateLimitedTotal.get()).values[0]?.value).toBeGreaterThanOrEqual(1);
  });

  it('retries transient errors with backoff, then delivers once', async () => {
    const chat = await newChat();
    adapter.failNext(chat.chatId, new TransientError('502 Bad Gateway'), 2);
    const id = await insertOutbox(t.db, pending(chat));
    await dispatcher.enqueue([id]);
    expect(await settled(id)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(adapter.deliveredTo(chat.chatId)).toHaveLength(1);
  });

  it('marks a row failed after maxAttempts transient failures', async () => {
    const chat = await newChat();
    adapter.failNext(chat.chatId, new TransientError('connection reset by 0912345678'), 10);
    const id = await insertOutbox(t.db, pending(chat));
    await dispatcher.enqueue([id]);
    const row = await settled(id);
    await drained();
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.last_error).toContain('transient');
    expect(row.last_error).not.toContain('0912345678');
    expect(adapter.sends.filter((s) => s.chatId === chat.chatId)).toHaveLength(3);
  });

  it('fails a bad request at once, without retrying', async () => {
    const chat = await newChat();
    adapter.failNext(chat.chatId, new BadRequestError('message text is empty'), 1);
    const id = await insertOutbox(t.db, pending(chat));
    await dispatcher.enqueue([id]);
    const row = await settled(id);
    await drained();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toContain('bad_request');
    expect(adapter.sends.filter((s) => s.chatId === chat.chatId)).toHaveLength(1);
  });

  it('marks an unreachable recipient and reports it exactly once', async () => {
    const chat = await newChat();
    adapter.failNext(chat.chatId, new UnreachableError('blocked'), 1);
    const id = await insertOutbox(t.db, pending(chat));
    await dispatcher.enqueue([id]);
    const row = await settled(id);
    await dispatcher.enqueue([id]);
    await drained();
    expect(row).toMatchObject({ status: 'unreachable', attempts: 1 });
    const identity = await t.db.selectFrom('identities').selectAll().where('id', '=', chat.identityId).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ unreachable_at: NOW, unreachable_reason: 'blocked' });
    expect(reported.filter((r) => r.id === id)).toEqual([{ id, reason: 'blocked' }]);
  });

  it('leaves a row pending when its platform has no adapter', async () => {
    const chat = await newChat('web');
    const id = await insertOutbox(t.db, pending(chat, { platform: 'web' }));
    await dispatcher.enqueue([id]);
    await drained();
    expect((await findOutbox(t.db, id))?.status).toBe<OutboxRow['status']>('pending');
  });
});
