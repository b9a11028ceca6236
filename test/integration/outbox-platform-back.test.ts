/**
 * A platform's errors put rows on an exponential backoff; once the same platform accepts a send
 * again, what waited after its errors is retried at once (found by the fault suite: after a 5 s
 * burst of 5xx, a chat stayed silent up to ~5 s more), while a row the platform rate-limited keeps
 * the delay it asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitError, TransientError } from '../../adapters/types.js';
import { findOutbox, insertOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { systemClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/** Far longer than any wait below: a row retried before it was woken early. */
const BACKOFF_MS = 120_000;

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDialects())('outbox: the platform back after errors, on %s', (dialect) => {
  const prefix = uniquePrefix(`platform-back-${dialect}`);
  let t: TestDb;
  let adapter: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let personId: number;
  let seq = 0;
  const at = () => new Date().toISOString();

  async function newRow(): Promise<{ chatId: string; id: number }> {
    const chatId = `pb${++seq}`;
    const identity = await t.db.insertInto('identities').values({
      platform: 'telegram', platform_user_id: chatId, chat_id: chatId, person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: at(), updated_at: at(),
    }).returning('id').executeTakeFirstOrThrow();
    const row: NewOutboxRow = {
      queue: 'outbox', identity_id: identity.id, platform: 'telegram', chat_id: chatId, text: `Xin chào ${chatId}`,
      buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
      ref_person_id: null, report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0,
      sent_message_id: null, sent_message_ids: null, last_error: null, created_at: at(), sent_at: null,
    };
    return { chatId, id: await insertOutbox(t.db, row) };
  }
  const status = async (id: number) => (await findOutbox(t.db, id))?.status;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    personId = (await t.db.insertInto('persons').values({
      full_name: 'Trần Thị B', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: at(), updated_at: at(),
    }).returning('id').executeTakeFirstOrThrow()).id;
    adapter = createMemoryAdapter('telegram');
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map([['telegram', adapter]]),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock: systemClock,
      concurrency: 4, maxAttempts: 5, backoffMaxMs: BACKOFF_MS, backoffBaseMs: BACKOFF_MS,
      onUnreachable: async () => undefined,
    });
    await dispatcher.start();
  });

  afterAll(async () => {
    await dispatcher?.close();
    await t?.drop();
    await deletePrefix(prefix);
  });

  it('retries at once what waited after a 5xx when the platform accepts a send again; a rate-limited row keeps its delay', async () => {
    const failed = await newRow();
    const limited = await newRow();
    adapter.failNext(failed.chatId, new TransientError('502 Bad Gateway'), 1);
    adapter.failNext(limited.chatId, new RateLimitError(BACKOFF_MS), 1);
    await dispatcher.enqueue([failed.id, limited.id]);
    await waitFor(async () => (await findOutbox(t.db, failed.id))?.attempts === 1 && adapter.sends.some((s) => s.chatId === limited.chatId));
    expect(await status(failed.id)).toBe('pending');

    const ok = await newRow();
    await dispatcher.enqueue([ok.id]);
    await waitFor(async () => (await status(ok.id)) === 'sent');
    // Woken by that success, long before its backoff ends.
    await waitFor(async () => (await status(failed.id)) === 'sent');
    expect(adapter.deliveredTo(failed.chatId)).toHaveLength(1);
    expect(await status(limited.id)).toBe('pending');
    expect(adapter.deliveredTo(limited.chatId)).toHaveLength(0);
  });
});
