import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError, type Platform } from '../../adapters/types.js';
import { claimChatHead } from '../../db/repositories/outbox-claims.js';
import { findOutbox, insertOutbox } from '../../db/repositories/outbox.js';
import { createInquiry } from '../../db/repositories/inquiries.js';
import type { NewOutboxRow, OutboxRow } from '../../db/schema.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { systemClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { DbFaults, markingSent, markingSentWithRefs, recordingParts } from '../helpers/db-faults.js';
import { childOwner } from '../helpers/lease-child.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const NOW = '2026-11-23T02:00:00.000Z';
const LEASE_MS = 400;

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

describe.each(testDialects())('outbox faults on %s', (dialect) => {
  const prefix = uniquePrefix(`outbox-faults-${dialect}`);
  const faults = new DbFaults();
  const metrics = createMetrics();
  let t: TestDb;
  let telegram: MemoryAdapter;
  let zalo: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let personId: number;
  let chatSeq = 0;

  async function newChat(platform: Platform = 'telegram'): Promise<{ chatId: string; identityId: number; platform: Platform }> {
    const chatId = `f${++chatSeq}`;
    const identity = await t.db.insertInto('identities').values({
      platform, platform_user_id: chatId, chat_id: chatId, person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow();
    return { chatId, identityId: identity.id, platform };
  }

  function pending(chat: { chatId: string; identityId: number; platform: Platform }, text: string): NewOutboxRow {
    return {
      queue: 'outbox', identity_id: chat.identityId, platform: chat.platform, chat_id: chat.chatId, text,
      buttons: null, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
      ref_person_id: null, report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0,
      sent_message_id: null, sent_message_ids: null, last_error: null, created_at: NOW, sent_at: null,
    };
  }

  const settled = (ids: number[]) => waitFor(async () => {
    const rows = await t.db.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
    return rows.every((r) => r.status !== 'pending') ? rows : undefined;
  });

  beforeAll(async () => {
    t = await createTestDb(dialect);
    personId = (await t.db.insertInto('persons').values({
      full_name: 'Phạm Văn D', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow()).id;
    telegram = createMemoryAdapter('telegram');
    zalo = createMemoryAdapter('zalo_oa', { maxTextLength: 40 });
    dispatcher = createOutboxDispatcher({
      db: t.db.withPlugin(faults), redis: { url: TEST_REDIS_URL }, prefix,
      adapters: new Map<Platform, MemoryAdapter>([['telegram', telegram], ['zalo_oa', zalo]]),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), clock: systemClock, metrics,
      concurrency: 8, maxAttempts: 5, backoffMaxMs: 100, backoffBaseMs: 20, sweepMs: 100, leaseMs: LEASE_MS,
      onUnreachable: async () => {},
    });
    await dispatcher.start();
  });

  afterAll(async () => {
    await dispatcher?.close();
    await t?.drop();
    await deletePrefix(prefix);
  });

  it('a delivered send whose recording fails is recorded once the database answers, never sent again', async () => {
    const chat = await newChat();
    faults.failNext(recordingParts, 1);
    faults.failNext(markingSent, 3);
    const id = await insertOutbox(t.db, pending(chat, 'Đã tiếp nhận câu hỏi Q-1.'));
    await dispatcher.enqueue([id]);
    const [row] = await settled([id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lease_owner: null });
    expect(telegram.deliveredTo(chat.chatId).map((p) => p.text)).toEqual(['Đã tiếp nhận câu hỏi Q-1.']);
  });

  it('a message about an inquiry is marked sent with its message refs, once each, though the recording failed', async () => {
    const chat = await newChat();
    const org = await t.db.insertInto('orgs').values({
      code: `F-ORG-${chatSeq}`, name: 'Sở Y tế', name_en: null, type: 'department', parent_id: null, predecessor_id: null,
      valid_from: null, valid_to: null, screening: 0, created_at: NOW, updated_at: NOW,
    }).returning('id').executeTakeFirstOrThrow();
    const inquiry = await createInquiry(t.db, {
      reporterPersonId: personId, reporterIdentityId: chat.identityId, originChatId: chat.chatId, originMessageId: '1',
      topicId: null, orgId: org.id, suggestedOrgId: org.id, status: 'assigned', question: 'Số ca sốt xuất huyết?', receivedAt: NOW,
    });
    // PostgreSQL records both in one statement, SQLite in a transaction: the failure hits whichever runs.
    const unusedBefore = faults.unused();
    faults.failNext(dialect === 'postgres' ? markingSentWithRefs : markingSent, 2);
    const id = await insertOutbox(t.db, { ...pending(chat, 'Câu hỏi mới Q-1'), inquiry_id: inquiry.id, ref_kind: 'staff_notice', ref_person_id: personId });
    await dispatcher.enqueue([id]);
    const [row] = await settled([id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lease_owner: null });
    expect(faults.unused()).toBe(unusedBefore);
    expect(telegram.deliveredTo(chat.chatId)).toHaveLength(1);
    const refs = await t.db.selectFrom('message_refs').selectAll().where('inquiry_id', '=', inquiry.id).where('kind', '=', 'staff_notice').execute();
    expect(refs).toEqual([expect.objectContaining({ platform: 'telegram', chat_id: chat.chatId, message_id: row!.sent_message_id, person_id: personId })]);
  });

  it('a part whose recording failed is not sent again when a later part fails', async () => {
    const chat = await newChat('zalo_oa');
    faults.failNext(recordingParts, 1);
    zalo.failNext(chat.chatId, new TransientError('502 Bad Gateway'), 1, { onPart: 1 });
    const text = 'Phần một của câu trả lời.\n\nPhần hai của câu trả lời.\n\nPhần ba của câu trả lời.';
    const id = await insertOutbox(t.db, pending(chat, text));
    await dispatcher.enqueue([id]);
    const [row] = await settled([id]);
    expect(zalo.deliveredTo(chat.chatId).map((p) => p.index)).toEqual([0, 1, 2]);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, parts_sent: 3 });
  });

  it('a chat frozen behind a send whose process stopped goes on once its claim lapses; the repeat is counted', async () => {
    const chat = await newChat();
    // Another process claimed the first row and died mid-send (its claim is never renewed). The
    // claim is written with the row: the dispatcher's sweep (every 100 ms) would otherwise claim
    // the row itself between an insert and a claim.
    const first = await insertOutbox(t.db, { ...pending(chat, 'Thông báo câu hỏi mới Q-2'), lease_owner: 'outbox-deadbeef0000', lease_until: new Date(Date.now() + LEASE_MS).toISOString() });
    const second = await insertOutbox(t.db, pending(chat, 'Thông báo câu hỏi mới Q-3'));
    await dispatcher.enqueue([second]);
    const rows: OutboxRow[] = await settled([first, second]);
    expect(telegram.deliveredTo(chat.chatId).map((p) => p.text)).toEqual(['Thông báo câu hỏi mới Q-2', 'Thông báo câu hỏi mới Q-3']);
    expect(rows.map((r) => Number(r.resent_in_flight))).toEqual([1, 0]);
    expect((await metrics.outboxResentInFlightTotal.get()).values.reduce((n, v) => n + v.value, 0)).toBeGreaterThanOrEqual(1);
    expect((await metrics.outboxStalledChatsTotal.get()).values.reduce((n, v) => n + v.value, 0)).toBeGreaterThanOrEqual(1);
  });

  it('a chat behind a send whose process was killed on this machine goes on at once, long before the claim would lapse', async () => {
    const dead = await childOwner();
    await dead.kill9();
    const chat = await newChat();
    // Its claim would hold for ten minutes; the wait below gives up after fifteen seconds.
    const first = await insertOutbox(t.db, { ...pending(chat, 'Thông báo câu hỏi mới Q-4'), lease_owner: dead.owner, lease_until: new Date(Date.now() + 600_000).toISOString() });
    const second = await insertOutbox(t.db, pending(chat, 'Thông báo câu hỏi mới Q-5'));
    await dispatcher.enqueue([second]);
    const rows: OutboxRow[] = await settled([first, second]);
    expect(telegram.deliveredTo(chat.chatId).map((p) => p.text)).toEqual(['Thông báo câu hỏi mới Q-4', 'Thông báo câu hỏi mới Q-5']);
    expect(rows.map((r) => Number(r.resent_in_flight))).toEqual([1, 0]);
  });

  it('a head claimed a moment ago by another job of the same process is busy, not taken over', async () => {
    const chat = await newChat('web');
    const id = await insertOutbox(t.db, pending(chat, 'Xin chào'));
    const key = { queue: 'outbox' as const, platform: 'web' as const, chatId: chat.chatId };
    const request = { owner: 'outbox-samesame0000', nowIso: new Date().toISOString(), leaseUntil: new Date(Date.now() + 60_000).toISOString(), inFlightHere: () => false };
    expect(await claimChatHead(t.db, key, request)).toMatchObject({ kind: 'claimed', interrupted: false });
    expect(await claimChatHead(t.db, key, request)).toMatchObject({ kind: 'busy' });
    expect(await findOutbox(t.db, id)).toMatchObject({ resent_in_flight: 0 });
  });

  it('a backlog of one chat drains with a bounded number of statements per row, whatever its length', async () => {
    const perRow = async (count: number): Promise<number> => {
      const chat = await newChat();
      telegram.setLatency((chatId) => (chatId === chat.chatId ? 2 : 0));
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(await insertOutbox(t.db, pending(chat, `tin ${i}`)));
      faults.reset();
      await Promise.all(ids.map((id) => dispatcher.enqueue([id])));
      await settled(ids);
      console.log(`statements per delivered row, backlog of ${count} in one chat: ${(faults.statements / count).toFixed(1)}`);
    return faults.statements / count;
    };
    const small = await perRow(20);
    const large = await perRow(200);
    expect(telegram.deliveredTo(`f${chatSeq}`)).toHaveLength(200);
    // Claim, mark sent (in a transaction), per-row enqueue lookups; the sweep adds a few per second.
    expect(large).toBeLessThan(10);
    expect(large).toBeLessThan(small + 3);
  });

  it('never takes over a claim of a send still running here, however long it takes', async () => {
    const chat = await newChat();
    telegram.setLatency((chatId) => (chatId === chat.chatId ? LEASE_MS * 4 : 0));
    const id = await insertOutbox(t.db, pending(chat, 'Câu trả lời dài'));
    await dispatcher.enqueue([id]);
    const [row] = await settled([id]);
    telegram.setLatency(0);
    expect(telegram.sends.filter((s) => s.chatId === chat.chatId)).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', resent_in_flight: 0 });
    expect(await findOutbox(t.db, id)).toMatchObject({ lease_owner: null, lease_until: null });
  });
});
