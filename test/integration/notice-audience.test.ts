import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEvent, Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createInboundProcessor, type InboundProcessor } from '../../src/inbound/processor.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/outbox/index.js';
import { createManualClock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createMemoryAdapter, type DeliveredPart, type MemoryAdapter } from '../helpers/memory-adapter.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const AT = '2026-11-20T02:00:00.000Z';

async function addOrg(db: Db, code: string, name: string, type: 'province' | 'commune', parentId: number | null): Promise<number> {
  return (await db.insertInto('orgs').values({ code, name, name_en: null, type, parent_id: parentId, predecessor_id: null, valid_from: null, valid_to: null, screening: 0, created_at: AT, updated_at: AT }).returning('id').executeTakeFirstOrThrow()).id;
}

async function addContact(db: Db, code: string, orgId: number, tags: string[]): Promise<number> {
  const p = await db.insertInto('persons').values({ code, full_name: `Đầu mối ${code}`, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: JSON.stringify(tags), locale: 'vi', invite_code: null, invite_used_at: null, created_at: AT, updated_at: AT }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('role_assignments').values({ person_id: p.id, role: 'contact', kind: null, org_id: orgId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: AT, updated_at: AT }).execute();
  return p.id;
}

/**
 * Choosing a notice's audience with buttons, through the real inbound processor, outbox and
 * BullMQ: on a channel with buttons (Telegram stand-in) and as numbered choices (Zalo stand-in).
 */
describe.each(testDialects())('notice audience buttons on %s', (dialect) => {
  const clock = createManualClock('2026-11-23T02:00:00Z');
  let t: TestDb;
  let net: MiniNetwork;
  let zalo: MemoryAdapter;
  let tg: MemoryAdapter;
  let dispatcher: OutboxDispatcher;
  let inbound: InboundProcessor;
  let prefix: string;
  let seq = 0;
  let communes: number[];
  let outsideCommune: number;

  beforeEach(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    // Ten communes under the coordinator's city (two pages), one under another province.
    communes = [];
    for (let i = 0; i < 10; i++) communes.push(await addOrg(t.db, `P-${i}`, `Phường ${String.fromCharCode(65 + i)}`, 'commune', net.cityId));
    const other = await addOrg(t.db, 'DN', 'Đà Nẵng', 'province', null);
    outsideCommune = await addOrg(t.db, 'P-DN', 'Phường Đà Nẵng', 'commune', other);
    await addContact(t.db, 'c0', communes[0]!, ['y-te']);
    await addContact(t.db, 'c1', communes[1]!, ['giao-duc']);
    await addContact(t.db, 'c9', communes[9]!, ['y-te']);
    await addContact(t.db, 'cdn', outsideCommune, ['du-lich']);
    await linkChat(t.db, net.coordinatorId, 'telegram', 't-dm');
    prefix = uniquePrefix(`notice-audience-${dialect}`);
    zalo = createMemoryAdapter('zalo_oa', { buttons: false, replies: true, maxTextLength: 2000 });
    tg = createMemoryAdapter('telegram', { startLinks: true });
    const logger = createLogger({ level: 'silent' });
    dispatcher = createOutboxDispatcher({
      db: t.db, redis: { url: TEST_REDIS_URL }, prefix, adapters: new Map<Platform, MemoryAdapter>([['zalo_oa', zalo], ['telegram', tg]]),
      logger, clock, concurrency: 4, maxAttempts: 3, backoffMaxMs: 1000, onUnreachable: async () => undefined,
    });
    await dispatcher.start();
    inbound = createInboundProcessor({
      db: t.db, clock, logger, enqueueOutbox: (ids) => dispatcher.enqueue(ids), syncDeadlines: async () => undefined,
      settings: {
        maxTextChars: 2000, defaultLocale: 'vi', deadlines: createDeadlinePolicy({ db: t.db, loadCalendar: (via) => loadCalendar(via ?? t.db) }),
        capabilities: (platform) => [zalo, tg].find((a) => a.platform === platform)?.capabilities,
      },
    });
    await zalo.start((e) => inbound.accept(e));
    await tg.start((e) => inbound.accept(e));
  });
  afterEach(async () => {
    await inbound.drain();
    await dispatcher.close();
    await deletePrefix(prefix);
    await t.drop();
  });

  async function settle(): Promise<void> {
    await inbound.drain();
    for (let i = 0; i < 500; i++) {
      const left = await t.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      if (left.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('outbox did not settle');
  }

  async function emit(adapter: MemoryAdapter, user: string, event: Partial<InboundEvent> & Pick<InboundEvent, 'kind'>): Promise<DeliveredPart[]> {
    const before = adapter.deliveredTo(user).length;
    seq += 1;
    await adapter.emit({ platform: adapter.platform, eventId: `e${seq}`, from: { id: user }, chatId: user, at: clock.now(), raw: null, ...event } as InboundEvent);
    await settle();
    return adapter.deliveredTo(user).slice(before);
  }
  const say = (a: MemoryAdapter, user: string, text: string) => emit(a, user, text.startsWith('/')
    ? { kind: 'command', messageId: `u${seq + 1}`, command: text.slice(1).split(' ')[0]!, args: text.split(' ').slice(1).join(' ') }
    : { kind: 'message', messageId: `u${seq + 1}`, text });
  const press = (a: MemoryAdapter, user: string, action: string, payload: string) => emit(a, user, { kind: 'button', messageId: 'm', action, payload });

  /** Composes up to the audience question; returns its message. */
  async function compose(a: MemoryAdapter, user: string): Promise<DeliveredPart> {
    await say(a, user, '/notice');
    await say(a, user, 'Lịch tiêm chủng tháng 12');
    await say(a, user, 'Nội dung thông báo.');
    return (await say(a, user, '-')).at(-1)!;
  }
  const lastButtons = (a: MemoryAdapter) => a.sends.at(-1)!.message.buttons!.flat();
  const draft = () => t.db.selectFrom('notices').selectAll().executeTakeFirst();
  const recipientsOf = async (noticeId: number) => (await t.db.selectFrom('notice_recipients').select('person_id').where('notice_id', '=', noticeId).execute()).length;

  it('offers my province, the communes and the tags in scope as buttons; "my province" drafts for the whole scope', async () => {
    const ask = await compose(tg, 't-dm');
    expect(ask.text).toContain('Gửi cho ai?');
    const labels = lastButtons(tg).map((b) => b.label);
    expect(labels[0]).toBe('Tỉnh/thành phố của tôi (Thành phố Huế)');
    expect(labels).toContain('Chọn xã/phường (10)…');
    expect(labels).toEqual(expect.arrayContaining(['Nhãn: giao-duc', 'Nhãn: y-te']));
    // The tag of a contact outside the scope is not offered.
    expect(labels).not.toContain('Nhãn: du-lich');
    const mine = lastButtons(tg)[0]!;
    const preview = (await press(tg, 't-dm', mine.action, mine.payload)).at(-1)!;
    expect(preview.text).toContain('Xem trước thông báo');
    expect(preview.text).toContain('org:HUE');
    expect(await recipientsOf((await draft())!.id)).toBe(3);
  });

  it('ticks communes across pages, then «Xong» drafts for those communes only', async () => {
    await compose(tg, 't-dm');
    const open = lastButtons(tg).find((b) => b.label.startsWith('Chọn xã'))!;
    const page1 = (await press(tg, 't-dm', open.action, open.payload)).at(-1)!;
    expect(page1.text).toContain('10 xã/phường, 2 trang');
    const a = lastButtons(tg).find((b) => b.label === 'Phường A')!;
    await press(tg, 't-dm', a.action, a.payload);
    expect(lastButtons(tg).map((b) => b.label)).toContain('✓ Phường A');
    const next = lastButtons(tg).find((b) => b.label === 'Trang 2/2 ▶')!;
    await press(tg, 't-dm', next.action, next.payload);
    const j = lastButtons(tg).find((b) => b.label === 'Phường J')!;
    const ticked = (await press(tg, 't-dm', j.action, j.payload)).at(-1)!;
    // This stand-in does not edit messages: each page comes anew, with the same text.
    expect(ticked.text).toBe(page1.text);
    expect(lastButtons(tg).map((b) => b.label)).toEqual(expect.arrayContaining(['✓ Phường J', '◀ Trang 1/2']));
    const done = lastButtons(tg).find((b) => b.label.startsWith('Xong'))!;
    expect(done.label).toBe('Xong (2 đã chọn)');
    const preview = (await press(tg, 't-dm', done.action, done.payload)).at(-1)!;
    expect(preview.text).toContain('org:P-0,P-9');
    expect(await recipientsOf((await draft())!.id)).toBe(2);
  });

  it('refuses a forged commune outside the scope politely, audited, and keeps composing', async () => {
    await compose(tg, 't-dm');
    const got = (await press(tg, 't-dm', 'nau', `o.${outsideCommune}`)).at(-1)!;
    expect(got.text).toContain('không thuộc phạm vi');
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'access.denied').execute();
    expect(audit.some((r) => String(r.after ?? '').includes(String(outsideCommune)))).toBe(true);
    expect(await draft()).toBeUndefined();
    // A forged tag nobody in scope carries is refused too; typing org:CODE still works.
    expect((await press(tg, 't-dm', 'nau', 't.du-lich')).at(-1)!.text).toContain('Không hiểu');
    const typed = (await say(tg, 't-dm', 'org:P-1')).at(-1)!;
    expect(typed.text).toContain('Xem trước thông báo');
    expect(await recipientsOf((await draft())!.id)).toBe(1);
  });

  it('an audience button outside a dialog, or from a non-coordinator, drafts nothing and explains', async () => {
    await linkChat(t.db, net.reporterId, 'telegram', 't-pv');
    expect((await press(tg, 't-pv', 'nau', 'p')).at(-1)!.text).not.toContain('Xem trước');
    expect((await press(tg, 't-dm', 'nau', 'p')).at(-1)!.text).toContain('/notice');
    expect(await draft()).toBeUndefined();
  });

  it('works as numbered choices on a channel without buttons', async () => {
    await linkChat(t.db, net.coordinatorId, 'zalo_oa', 'z-dm');
    const ask = await compose(zalo, 'z-dm');
    const numberOf = (part: DeliveredPart, label: string) => part.text.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label))!.split('.')[0]!;
    expect(ask.text).toMatch(/\n1\. Tỉnh\/thành phố của tôi/);
    const page = (await say(zalo, 'z-dm', numberOf(ask, 'Chọn xã'))).at(-1)!;
    const ticked = (await say(zalo, 'z-dm', numberOf(page, 'Phường B'))).at(-1)!;
    expect(ticked.text).toMatch(/\n\d+\. ✓ Phường B/);
    expect(ticked.text).toContain('Xong (1 đã chọn)');
    const preview = (await say(zalo, 'z-dm', numberOf(ticked, 'Xong'))).at(-1)!;
    expect(preview.text).toContain('org:P-1');
    expect(await recipientsOf((await draft())!.id)).toBe(1);
  });
});
