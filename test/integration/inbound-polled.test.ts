/**
 * Acks first during a burst (issue #10) holds queued flows back while events keep arriving — for
 * events a platform waits on (webhooks, the web page). Telegram's polled updates wait for nobody:
 * holding flows back for them only left the bot's thread idle (issue #12: the inquiry bench, which
 * polls as `npm start` does, sustained ~20 % more without it). Each way of taking an event in is
 * checked here against the same long gate.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatAdapter, InboundEvent } from '../../adapters/types.js';
import { createInboundProcessor, receiverOf, type InboundProcessor } from '../../src/inbound/processor.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createManualClock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';

const clock = createManualClock('2026-12-05T02:00:00Z');
/** Far longer than any test waits: a flow held back by the gate is visibly not run. */
const GATE = { burstQuietMs: 1500, burstMaxDeferMs: 1500 };

const event = (n: number): InboundEvent => ({
  platform: 'telegram', kind: 'message', eventId: `u-${n}`, messageId: String(n), text: '/help', from: { id: '7001', name: 'An' }, chatId: '7001', at: clock.now(), raw: null,
});

describe('taking in an event during a burst', () => {
  let t: TestDb | undefined;
  afterEach(async () => { await t?.drop(); t = undefined; });

  const processorOn = (handle: TestDb): InboundProcessor => createInboundProcessor({
    db: handle.db, clock, logger: createCapturedLogger().logger, ...GATE,
    settings: { maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: handle.db, loadCalendar: (via) => loadCalendar(via ?? handle.db) }) },
    enqueueOutbox: async () => undefined, syncDeadlines: async () => undefined,
  });
  const statusOf = async (handle: TestDb, eventId: string) => (await handle.db.selectFrom('inbound_events').select('status').where('event_id', '=', eventId).executeTakeFirst())?.status;
  /** Waits until the event is done, at most `ms`; its status then. */
  const doneWithin = async (handle: TestDb, eventId: string, ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until && (await statusOf(handle, eventId)) !== 'done') await new Promise((r) => setTimeout(r, 10));
    return statusOf(handle, eventId);
  };

  it('a polled update is processed at once; a webhook\'s event waits until the arrivals pause', async () => {
    t = await createTestDb('sqlite');
    const processor = processorOn(t);
    await processor.acceptPolled(event(1));
    expect(await doneWithin(t, 'u-1', 1000)).toBe('done');
    await processor.accept(event(2));
    await new Promise((r) => setTimeout(r, 150));
    expect(await statusOf(t, 'u-2')).toBe('pending');
    await processor.drain();
    expect(await statusOf(t, 'u-2')).toBe('done');
  });

  it('replies are handed on while a deadline re-plan waits for Redis (away): the two never share a line', async () => {
    t = await createTestDb('sqlite');
    await seedMiniNetwork(t.db);
    const enqueued: number[][] = [];
    let hang = false;
    let replans = 0;
    const bot = createFlowDriver(t.db, createManualClock('2026-11-23T02:00:00Z'), {
      enqueueOutbox: async (ids) => { enqueued.push([...ids]); },
      // As BullMQ's add does while Redis is away: it waits.
      syncDeadlines: async () => { if (hang) { replans += 1; await new Promise<void>(() => undefined); } },
    });
    await bot.command('101', 'start', 'inv-pv1');
    await bot.say('101', 'Số ca sốt xuất huyết ở Huế tuần này là bao nhiêu?');
    await bot.press('101', 'Y tế');
    const send = bot.last('101').buttons.flat().find((b) => b.label.includes('Gửi'))!;
    hang = true;
    enqueued.length = 0;
    const base = { platform: 'telegram' as const, from: { id: '101', name: 'PV' }, chatId: '101', at: new Date(), raw: null };
    // The press creates the inquiry: its confirmation and notification, and a deadline to plan (hangs).
    await bot.processor.acceptPolled({ ...base, eventId: 'press', kind: 'button', messageId: bot.last('101').messageId, action: send.action, payload: send.payload });
    // The next message's reply must not wait behind that plan.
    await bot.processor.acceptPolled({ ...base, eventId: 'help', kind: 'command', messageId: '9001', command: 'help', args: '' });
    const until = Date.now() + 10_000;
    while (Date.now() < until && enqueued.length < 2) await new Promise((r) => setTimeout(r, 10));
    expect(replans).toBe(1);
    expect(enqueued).toHaveLength(2);
    const textsOf = async (ids: readonly number[]) => (await t!.db.selectFrom('outbox').select('text').where('id', 'in', [...ids]).where('chat_id', '=', '101').execute()).map((r) => r.text);
    expect((await textsOf(enqueued[0]!)).join('\n')).toMatch(/Đã (tiếp nhận|nhận)/);
    expect((await textsOf(enqueued[1]!)).length).toBe(1);
  });

  it('each adapter gets the right way in: webhooks and the web page are acked, polling is not, the Zalo account waits for the database', async () => {
    const calls: string[] = [];
    const inbound = {
      accept: async () => { calls.push('accept'); }, acceptPolled: async () => { calls.push('polled'); }, acceptPatiently: async () => { calls.push('patient'); },
    } as unknown as InboundProcessor;
    const adapter = (platform: ChatAdapter['platform'], webhook: boolean) => ({ platform, ...(webhook ? { webhook: {} } : {}) }) as unknown as ChatAdapter;
    for (const a of [adapter('telegram', false), adapter('telegram', true), adapter('zalo_oa', true), adapter('web', false), adapter('zalo_personal', false)]) {
      await receiverOf(a, inbound)(event(0));
    }
    expect(calls).toEqual(['polled', 'accept', 'accept', 'accept', 'patient']);
  });
});
