import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, type Platform } from '../../adapters/types.js';
import { findOutbox, insertOutbox, listHeldOutbox } from '../../db/repositories/outbox.js';
import type { NewOutboxRow } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const NOW = '2026-11-23T02:00:00.000Z';
const RECHECK_MS = 150;

describe.each(testDialects())('outbox: credentials refused (%s)', (dialect) => {
  const prefix = uniquePrefix(`outbox-cred-${dialect}`);
  const clock = createManualClock(NOW);
  let t: TestDb;
  let telegram: MemoryAdapter;
  let zalo: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let inspect: Queue;
  let seq = 0;

  async function newPerson(): Promise<number> {
    return (await t.db.insertInto('persons').values({
      full_name: `Người ${++seq}`, code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function newChat(personId: number, platform: Platform = 'telegram'): Promise<{ chatId: string; identityId: number }> {
    const chatId = `c${++seq}`;
    const identity = await t.db.insertInto('identities').values({
      platform, platform_user_id: chatId, chat_id: chatId, person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: NOW, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow();
    return { chatId, identityId: identity.id };
  }

  const row = (chat: { chatId: string; identityId: number }, text: string): NewOutboxRow => ({
    queue: 'outbox', identity_id: chat.identityId, platform: 'telegram', chat_id: chat.chatId, text,
    buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
    ref_person_id: null, report_unreachable: 1, status: 'pending', attempts: 0, parts_sent: 0,
    sent_message_id: null, sent_message_ids: null, last_error: null, created_at: NOW, sent_at: null,
  });

  const statusOf = async (id: number) => (await findOutbox(t.db, id))?.status;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    telegram = createMemoryAdapter('telegram');
    zalo = createMemoryAdapter('zalo_personal');
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map<Platform, MemoryAdapter>([['telegram', telegram], ['zalo_personal', zalo]]),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock,
      concurrency: 4, maxAttempts: 2, backoffMaxMs: 200, backoffBaseMs: 20, credentialsRecheckMs: RECHECK_MS,
      onUnreachable: async () => undefined,
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

  it('holds rows (no attempts limit, no failure) and delivers each once when the credentials work again', async () => {
    const a = await newChat(await newPerson());
    const b = await newChat(await newPerson());
    // More refusals than maxAttempts: before, the row would have been failed.
    telegram.failNext(a.chatId, new AuthError('401 Unauthorized'), 4);
    telegram.failNext(b.chatId, new AuthError('401 Unauthorized'), 1);
    const idA = await insertOutbox(t.db, row(a, 'Trả lời A'));
    const idB = await insertOutbox(t.db, row(b, 'Trả lời B'));
    await dispatcher.enqueue([idA, idB]);
    // B is held only until the next re-check (150 ms): too short to poll for on a loaded machine,
    // so its hold shows in what followed — one refused send, then one delivery, no failure.
    await expect.poll(() => statusOf(idA), { timeout: 10_000 }).toBe('sent');
    await expect.poll(() => statusOf(idB), { timeout: 10_000 }).toBe('sent');
    expect(telegram.sends.filter((s) => s.chatId === b.chatId)).toHaveLength(2);
    expect((await findOutbox(t.db, idB))?.held_reason).toBeNull();
    expect(telegram.sends.filter((s) => s.chatId === a.chatId)).toHaveLength(5);
    expect(telegram.deliveredTo(a.chatId).map((p) => p.text)).toEqual(['Trả lời A']);
    expect(telegram.deliveredTo(b.chatId).map((p) => p.text)).toEqual(['Trả lời B']);
    expect(await findOutbox(t.db, idA)).toMatchObject({ held_reason: null, attempts: 5 });
  });

  it('a row out on a re-check probe is still listed as held for credentials (`/held`), until its send says otherwise', async () => {
    const c = await newChat(await newPerson());
    // Each send to this chat takes 1 s before the adapter answers: the probe's send stays in flight long enough to look at.
    telegram.setLatency((chatId) => (chatId === c.chatId ? 1000 : 0));
    telegram.failNext(c.chatId, new AuthError('401 Unauthorized'), 2);
    const id = await insertOutbox(t.db, row(c, 'Trả lời C'));
    await dispatcher.enqueue([id]);
    // The first send is refused (held), a re-check releases the row for a probe: once the probe's
    // send has started it stays in flight for 1 s, a window wide enough to look at on a loaded
    // machine (the held spells between sends last only until the next re-check, 150 ms).
    await expect.poll(() => telegram.sends.filter((s) => s.chatId === c.chatId).length, { interval: 10, timeout: 10_000 }).toBe(2);
    expect(await findOutbox(t.db, id)).toMatchObject({ status: 'pending', held_reason: 'credentials' });
    expect((await listHeldOutbox(t.db, 30)).map((r) => [r.id, r.held_reason])).toEqual([[id, 'credentials']]);
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('sent');
    expect(telegram.sends.filter((s) => s.chatId === c.chatId)).toHaveLength(3);
    expect(await findOutbox(t.db, id)).toMatchObject({ held_reason: null, attempts: 3 });
    expect(await listHeldOutbox(t.db, 30)).toEqual([]);
  });

  it('goes to the person\'s chat on another platform instead, when there is one', async () => {
    const person = await newPerson();
    const tg = await newChat(person);
    const other = await newChat(person, 'zalo_personal');
    telegram.failNext(tg.chatId, new AuthError('401 Unauthorized'), 1);
    const id = await insertOutbox(t.db, row(tg, 'Trả lời chuyển kênh'));
    await dispatcher.enqueue([id]);
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('redirected');
    await expect.poll(() => zalo.deliveredTo(other.chatId).map((p) => p.text), { timeout: 10_000 }).toEqual(['Trả lời chuyển kênh']);
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS * 3));
    expect(telegram.deliveredTo(tg.chatId)).toEqual([]);
    expect(await statusOf(id)).toBe('redirected');
  });
});
