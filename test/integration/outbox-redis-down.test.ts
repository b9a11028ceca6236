/**
 * A message committed while Redis is away still goes out (issue #12's deliveries without jobs):
 * the process that sends drains a woken chat itself, so an answer or a confirmation needs only the
 * database and the platform. Before, the wake-up was a BullMQ job and waited for Redis's return.
 * So does a row no wake-up reached (committed by a `web` process, or its wake-up lost): the sweep
 * drains its chat here too. Once Redis is back, everything works as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findOutbox, insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { createMemoryAdapter } from '../helpers/memory-adapter.js';
import { startTestRedis, type TestRedis } from '../helpers/private-redis.js';

const NOW = '2026-12-05T02:00:00.000Z';

describe.each(testDialects())('a message committed while Redis is away, on %s', (dialect) => {
  let t: TestDb | undefined;
  let redis: TestRedis | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  /** True while this test's Redis is killed: brought back before the dispatcher closes. */
  let down = false;
  afterEach(async () => {
    if (down) await redis?.restart();
    down = false;
    await dispatcher?.close();
    await redis?.stop();
    await t?.drop();
    dispatcher = undefined; redis = undefined; t = undefined;
  });

  it('is delivered once, by the process that committed it, with no job', async () => {
    t = await createTestDb(dialect);
    redis = await startTestRedis();
    const db = t.db;
    const { identityId } = await newReporter(t);
    const adapter = createMemoryAdapter('telegram');
    dispatcher = createOutboxDispatcher({
      db, redis: { url: redis.url }, prefix: 'liaison-redis-down', adapters: new Map([['telegram', adapter]]),
      logger: createLogger({ level: 'silent' }), clock: createManualClock(NOW),
      concurrency: 4, maxAttempts: 3, backoffMaxMs: 200, sweepMs: 600_000, onUnreachable: async () => undefined,
    });
    await dispatcher.start();
    await redis.kill();
    down = true;
    const row = rowFor(identityId, 'Đã tiếp nhận câu hỏi của anh/chị');
    const id = await insertOutbox(db, row);
    await dispatcher.enqueue([id], [{ id, queue: 'outbox', platform: 'telegram', chatId: 'c1' }]);
    await dispatcher.idle();
    expect(adapter.deliveredTo('c1').map((p) => p.text)).toEqual(['Đã tiếp nhận câu hỏi của anh/chị']);
    expect(await findOutbox(db, id)).toMatchObject({ status: 'sent', attempts: 1 });
    // Redis back: the next message goes out the same way, still once.
    await redis.restart();
    down = false;
    const next = await insertOutbox(db, { ...row, text: 'Câu trả lời' });
    await dispatcher.enqueue([next], [{ id: next, queue: 'outbox', platform: 'telegram', chatId: 'c1' }]);
    await dispatcher.idle();
    expect(adapter.deliveredTo('c1').map((p) => p.text)).toEqual(['Đã tiếp nhận câu hỏi của anh/chị', 'Câu trả lời']);
  }, 60_000);

  it('is found by the sweep and delivered, still with Redis away, when no wake-up reached this process (a `web` process committed it)', async () => {
    t = await createTestDb(dialect);
    redis = await startTestRedis();
    const { identityId } = await newReporter(t);
    const adapter = createMemoryAdapter('telegram');
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: redis.url }, prefix: 'liaison-redis-down-sweep', adapters: new Map([['telegram', adapter]]),
      logger: createLogger({ level: 'silent' }), clock: createManualClock(NOW),
      concurrency: 4, maxAttempts: 3, backoffMaxMs: 200, sweepMs: 200, onUnreachable: async () => undefined,
    });
    await dispatcher.start();
    await redis.kill();
    down = true;
    // Before, the sweep queued a job for it, which waited for Redis's return.
    const id = await insertOutbox(t.db, rowFor(identityId, 'Câu trả lời của Sở Y tế'));
    await expect.poll(() => adapter.deliveredTo('c1').map((p) => p.text), { timeout: 20_000 }).toEqual(['Câu trả lời của Sở Y tế']);
    await expect.poll(async () => (await findOutbox(t!.db, id))?.status, { timeout: 10_000 }).toBe('sent');
    expect(adapter.sends.filter((s) => s.chatId === 'c1')).toHaveLength(1);
  }, 60_000);
});

async function newReporter(t: TestDb): Promise<{ identityId: number }> {
  const person = await t.db.insertInto('persons').values({
    full_name: 'Trần Thị B', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
    tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW,
  }).returning('id').executeTakeFirstOrThrow();
  const identity = await t.db.insertInto('identities').values({
    platform: 'telegram', platform_user_id: 'c1', chat_id: 'c1', person_id: person.id, display_name: null, locale: null,
    dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: NOW, updated_at: NOW,
  }).returning('id').executeTakeFirstOrThrow();
  return { identityId: identity.id };
}

function rowFor(identityId: number, text: string): NewOutboxRow {
  return {
    queue: 'outbox', identity_id: identityId, platform: 'telegram', chat_id: 'c1', text,
    buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
    ref_person_id: null, report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0,
    sent_message_id: null, sent_message_ids: null, last_error: null, created_at: NOW, sent_at: null,
  };
}
