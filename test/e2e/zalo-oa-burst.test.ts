/**
 * Fault 7 of issue #10, functionally: 150 new Zalo users write at once. Every webhook is
 * acknowledged 200, every event is stored and processed once, and every user gets exactly one
 * answer. How fast the acks are is the benchmark's business (`npm run bench -- --only acks`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';

const USERS = 150;

describe('a burst of first messages on Zalo OA (the whole bot, SQLite)', () => {
  let z: ZaloE2E;
  beforeAll(async () => { z = await createZaloE2E(); });
  afterAll(async () => { await z.close(); });

  it('acks all, processes each event once and answers each user once', async () => {
    const users = Array.from({ length: USERS }, (_, i) => String(6_100_000_000 + i));
    const since = z.fake.sent.length;
    const deliveries = await Promise.all(users.map((u) => z.driver.userText(u, 'Xin chào')));
    expect(deliveries.filter((d) => d.status !== 200)).toEqual([]);
    const wanted = new Set(users);
    const answered = () => new Set(z.fake.sent.slice(since).filter((s) => wanted.has(s.userId)).map((s) => s.userId));
    await z.fake.waitFor(() => answered().size === USERS, 60_000, `answers to all ${USERS} users`);
    const rows = await z.e.app.db.db.selectFrom('inbound_events').select(['event_id', 'status'])
      .where('platform', '=', 'zalo_oa').where('event_id', 'in', deliveries.map((d) => d.msgId!)).execute();
    expect(rows).toHaveLength(USERS);
    expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
    // One outbox row per user (each event ran once), all delivered; then one send per user.
    const readOutbox = () => z.e.app.db.db.selectFrom('outbox').select(['chat_id', 'status'])
      .where('platform', '=', 'zalo_oa').where('chat_id', 'in', users).execute();
    // The fake accepts a send a moment before the bot records it.
    let outbox = await readOutbox();
    for (let i = 0; i < 500 && outbox.some((r) => r.status === 'pending'); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      outbox = await readOutbox();
    }
    expect(outbox).toHaveLength(USERS);
    expect(new Set(outbox.map((r) => r.chat_id)).size).toBe(USERS);
    expect(outbox.filter((r) => r.status !== 'sent')).toEqual([]);
    const perUser = new Map<string, number>();
    for (const s of z.fake.sent.slice(since)) if (wanted.has(s.userId)) perUser.set(s.userId, (perUser.get(s.userId) ?? 0) + 1);
    expect([...perUser.values()].filter((n) => n !== 1)).toEqual([]);
  });
});
