import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, TransientError, UnreachableError, type Platform } from '../../adapters/types.js';
import { insertRecipients, listDeliverableIds, loadBatch } from '../../db/repositories/notices.js';
import { insertNotice } from '../../db/repositories/notices-write.js';
import type { Notice } from '../../db/schema.js';
import { createLogger } from '../../src/logger.js';
import { deliverRecipient } from '../../src/notices/deliver.js';
import { createPacer } from '../../src/notices/pacer.js';
import type { NoticeContext } from '../../src/notices/types.js';
import { createOutboxDispatcher } from '../../src/outbox/index.js';
import { createLeaseKeeper } from '../../src/outbox/lease.js';
import { createManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createMemoryAdapter, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const NOW = '2026-11-23T02:00:00.000Z';
const prefix = uniquePrefix('notice-deliver-core');
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

afterAll(async () => {
  redis.disconnect();
  await deletePrefix(prefix);
});

/** The notices engine on the delivery core: one recipient, the engine's own bookkeeping, real SQL and Redis. */
describe.each(testDialects())('the notices engine on the delivery core, on %s', (dialect) => {
  const clock = createManualClock(NOW);
  let t: TestDb;
  let net: MiniNetwork;
  let tg: MemoryAdapter;
  let slept: number[];
  let ctx: NoticeContext;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    tg = createMemoryAdapter('telegram', { maxTextLength: 120 });
    slept = [];
    const logger = createLogger({ level: 'silent' });
    ctx = {
      db: t.db, adapters: new Map<Platform, MemoryAdapter>([['telegram', tg]]), logger, clock, defaultLocale: 'vi',
      settings: { concurrency: 1, ratePerS: {}, chatIntervalMs: 0, progressIntervalMs: 1000, remindAfterMs: 0, sendLeaseMs: 60_000, maxAttempts: 5, batchSize: 100 },
      pacer: createPacer(redis, prefix), accountOf: (p) => `${p}-${dialect}-${Math.random()}`,
      lease: createLeaseKeeper({ leaseMs: 60_000, label: 'notices', logger, renew: async () => undefined }),
      enqueueOutbox: async () => undefined,
      sleep: async (ms) => { slept.push(ms); },
    };
  });
  afterEach(async () => {
    ctx.lease.close();
    await t.drop();
  });

  async function oneRecipient(body: string, platform: Platform = 'telegram', chatId = 'chat-syt'): Promise<{ notice: Notice; recipientId: number }> {
    const identityId = await linkChat(t.db, net.healthSpokesId, platform, chatId);
    // Never wrote: a platform with a reply window cannot take a message now.
    if (platform === 'zalo_oa') await t.db.updateTable('identities').set({ last_inbound_at: null }).where('id', '=', identityId).execute();
    const noticeId = await insertNotice(t.db, {
      title: 'Lịch cắt điện', body, link: null, audience: '{"all":true}', created_by_person_id: net.coordinatorId, status: 'sending',
      confirmed_at: NOW, finished_at: null, progress_identity_id: null, progress_message_id: null, progress_outbox_id: null, parent_id: null,
      remind_at: null, reminded_at: null, created_at: NOW, updated_at: NOW,
    });
    await insertRecipients(t.db, noticeId, [{ personId: net.healthSpokesId, orgId: net.healthId, identityId, platform, chatId, status: 'pending' }], NOW);
    const notice = await t.db.selectFrom('notices').selectAll().where('id', '=', noticeId).executeTakeFirstOrThrow();
    const row = (await loadBatch(t.db, noticeId, 0, 2_000_000_000))[0]!;
    return { notice, recipientId: row.id };
  }
  const recipient = (id: number) => t.db.selectFrom('notice_recipients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const deliver = async (notice: Notice, id: number) => {
    const row = (await loadBatch(t.db, notice.id, id, id))[0]!;
    return deliverRecipient(ctx, notice, row);
  };

  it('backs off exponentially on transient errors even when the platform hints a shorter wait (the hint was used as is)', async () => {
    const { notice, recipientId } = await oneRecipient('Thứ Bảy.');
    tg.failNext('chat-syt', new TransientError('502 Bad Gateway', 100), 3);
    expect(await deliver(notice, recipientId)).toBe('sent');
    // 500 ms doubling (the engine's backoff); before the delivery core: [100, 100, 100].
    expect(slept).toEqual([500, 1000, 2000]);
    expect((await recipient(recipientId)).status).toBe('sent');
  });

  it('records the parts delivered before a refused part, so a later run sends none of them again', async () => {
    const { notice, recipientId } = await oneRecipient(`${'Lịch cắt điện khu vực phường Phú Hội. '.repeat(12)}Hết.`);
    // The recipient blocks the bot after the second part: final, but what was delivered is on the row.
    tg.failNext('chat-syt', new UnreachableError('blocked'), 1, { onPart: 2 });
    expect(await deliver(notice, recipientId)).toBe('unreachable');
    const row = await recipient(recipientId);
    expect(row.status).toBe('unreachable');
    expect(row.parts_sent).toBe(2);
    expect(JSON.parse(row.sent_message_ids!)).toEqual(tg.deliveredTo('chat-syt').map((p) => p.messageId));
  });

  it('a refusal to hold after the first parts hands over only the rest: the outbox resumes, no part reaches the chat twice', async () => {
    const { notice, recipientId } = await oneRecipient(`${'Lịch cắt điện khu vực phường Phú Hội. '.repeat(12)}Hết.`);
    // Telegram refuses our token on the third part: the channel's credentials, held for the outbox.
    tg.failNext('chat-syt', new AuthError('401 Unauthorized'), 1, { onPart: 2 });
    expect(await deliver(notice, recipientId)).toBe('held');
    const firstIds = tg.deliveredTo('chat-syt').map((p) => p.messageId);
    expect(firstIds).toHaveLength(2);
    const handed = await t.db.selectFrom('outbox').select(['id', 'parts_sent', 'sent_message_ids']).executeTakeFirstOrThrow();
    expect(handed.parts_sent).toBe(2);
    expect(JSON.parse(handed.sent_message_ids!)).toEqual(firstIds);
    const outboxPrefix = uniquePrefix(`notice-handover-parts-${dialect}`);
    const dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix: outboxPrefix, adapters: new Map<Platform, MemoryAdapter>([['telegram', tg]]),
      logger: createLogger({ level: 'silent' }), clock, concurrency: 1, maxAttempts: 2, backoffMaxMs: 100, onUnreachable: async () => undefined,
    });
    try {
      await dispatcher.start();
      await dispatcher.enqueue([handed.id]);
      await expect.poll(async () => (await recipient(recipientId)).status, { timeout: 15_000 }).toBe('sent');
    } finally {
      await dispatcher.close();
      await deletePrefix(outboxPrefix);
    }
    const parts = tg.deliveredTo('chat-syt');
    // Every part once, in order: the whole text arrives exactly as one uninterrupted send would have cut it.
    expect(parts.map((p) => p.index)).toEqual(parts.map((_p, i) => i));
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((p) => p.text).join('')).toContain('Hết.');
    expect(JSON.parse((await recipient(recipientId)).sent_message_ids!)).toEqual(parts.map((p) => p.messageId));
  });

  it('a send in flight of a process known to be dead is taken over at once; one of a process that may be alive waits for its lease', async () => {
    const { notice, recipientId } = await oneRecipient('Thứ Bảy.');
    const tag = /-p\d+-([0-9a-f]{12})$/.exec(ctx.lease.owner)![1]!;
    // An earlier process that had this very pid (a restarted container) claimed it a moment ago, within the lease.
    const dead = `notices-aaaaaaaaaaaa-p${process.pid}-${tag}`;
    const unsure = `notices-bbbbbbbbbbbb-p${process.pid}-000000000000`;
    const inFlight = (owner: string) => t.db.updateTable('notice_recipients').set({ status: 'sending', send_started_at: NOW, send_owner: owner }).where('id', '=', recipientId).execute();
    const takeover = { leaseCutoff: new Date(Date.parse(NOW) - 60_000).toISOString(), ownerGone: (o: string) => ctx.lease.isGone(o) };
    await inFlight(unsure);
    expect(await listDeliverableIds(t.db, notice.id, takeover)).toEqual([]);
    expect(await deliver(notice, recipientId)).toBe('skipped');
    expect(tg.sends).toHaveLength(0);
    await inFlight(dead);
    expect(await listDeliverableIds(t.db, notice.id, takeover)).toEqual([recipientId]);
    expect(await deliver(notice, recipientId)).toBe('sent');
    expect(tg.deliveredTo('chat-syt')).toHaveLength(1);
    const row = await recipient(recipientId);
    expect(row.status).toBe('sent');
    expect((await t.db.selectFrom('notices').select('resent_in_flight').where('id', '=', notice.id).executeTakeFirstOrThrow()).resent_in_flight).toBe(1);
  });

  it('holds a notice whose recipient never wrote on a platform with a reply window: handed to the outbox, nothing sent', async () => {
    const zalo = createMemoryAdapter('zalo_oa', { buttons: false, maxTextLength: 2000, replyWindowMs: 48 * 3_600_000 });
    ctx = { ...ctx, adapters: new Map<Platform, MemoryAdapter>([['zalo_oa', zalo]]) };
    const { notice, recipientId } = await oneRecipient('Thứ Bảy.', 'zalo_oa', 'z-syt');
    expect(await deliver(notice, recipientId)).toBe('held');
    expect(zalo.sends).toHaveLength(0);
    expect((await recipient(recipientId)).status).toBe('held');
    const outbox = await t.db.selectFrom('outbox').select(['platform', 'status']).execute();
    expect(outbox).toEqual([{ platform: 'zalo_oa', status: 'pending' }]);
  });
});
