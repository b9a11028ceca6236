/**
 * U+0000 in an inbound event (a fuzzed Zalo OA body found it): PostgreSQL text cannot hold it, so
 * before the fix the insert failed, the webhook answered 500 and the platform would have delivered
 * the same body again for hours. The character is removed at the one entry of every channel; the
 * event is stored, processed and answered alike on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../adapters/types.js';
import { createInboundProcessor } from '../../src/inbound/processor.js';
import { withoutNul } from '../../src/inbound/without-nul.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createManualClock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const clock = createManualClock('2026-12-05T02:00:00Z');

describe('withoutNul', () => {
  it('removes U+0000 from strings at any depth and keeps everything else (dates, buffers, the same object when clean)', () => {
    const at = new Date('2026-12-05T02:00:00Z');
    const raw = Buffer.from('a\u0000b');
    const clean = { text: 'Xin chào 👋🏽', list: ['tiêm vắc-xin'], at };
    expect(withoutNul(clean)).toBe(clean);
    const dirty = { text: 'Xin\u0000 chào', from: { id: '\u00007\u00008', name: ['N\u0000am'] }, at, raw, n: 3, none: null };
    expect(withoutNul(dirty)).toEqual({ text: 'Xin chào', from: { id: '78', name: ['Nam'] }, at, raw, n: 3, none: null });
    expect(withoutNul(dirty).at).toBe(at);
    expect(withoutNul('\u0000\u0000')).toBe('');
  });
});

describe.each(testDialects())('an inbound event with U+0000 on %s', (dialect) => {
  let t: TestDb | undefined;
  afterEach(async () => { await t?.drop(); t = undefined; });

  it('is stored without it, processed once and answered', async () => {
    t = await createTestDb(dialect);
    const handle = t;
    const { logger } = createCapturedLogger();
    const queued: number[] = [];
    const processor = createInboundProcessor({
      db: handle.db, clock, logger,
      settings: { maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: handle.db, loadCalendar: (via) => loadCalendar(via ?? handle.db) }) },
      enqueueOutbox: async (ids) => { queued.push(...ids); }, syncDeadlines: async () => undefined,
    });
    const event: InboundEvent = {
      platform: 'zalo_oa', kind: 'message', eventId: '"\u0000Ｑ-１', messageId: 'm\u00001', text: 'Xin\u0000 chào', from: { id: '87\u000001', name: 'A\u0000n' }, chatId: '87\u000001', at: clock.now(), raw: null,
    };
    await processor.accept(event);
    await processor.drain();
    const stored = await handle.db.selectFrom('inbound_events').select(['event_id', 'status', 'payload']).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.event_id).toBe('"Ｑ-１');
    expect(stored[0]!.status).toBe('done');
    expect(stored[0]!.payload).not.toContain('\\u0000');
    const replies = await handle.db.selectFrom('outbox').select(['chat_id', 'text']).execute();
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((r) => r.chat_id === '8701')).toBe(true);
    expect(queued.length).toBe(replies.length);
    // The same body again (a platform's re-delivery) is recognised as the same event.
    await processor.accept({ ...event });
    await processor.drain();
    expect(await handle.db.selectFrom('inbound_events').select('event_id').execute()).toHaveLength(1);
  });
});
