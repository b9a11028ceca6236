import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneExpired } from '../../db/repositories/housekeeping.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const NOW = new Date('2026-11-23T02:00:00Z');
const DAY = 24 * 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe.each(testDialects())('pruning expired records on %s', (dialect) => {
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb(dialect); });
  afterEach(async () => { await t.drop(); });

  it('removes only what is past its retention', async () => {
    const net = await seedMiniNetwork(t.db);
    const identityId = await linkChat(t.db, net.reporterId, 'zalo_oa', 'z1');
    const menu = (id: string, at: string) => ({ platform: 'zalo_oa' as const, chat_id: 'z1', message_id: id, buttons: '[]', created_at: at });
    await t.db.insertInto('choice_menus').values([menu('old', ago(8 * DAY)), menu('new', ago(6 * DAY))]).execute();
    const code = (c: string, expires: string) => ({ code: c, person_id: net.reporterId, identity_id: identityId, purpose: 'link' as const, expires_at: expires, used_at: null, created_at: ago(3 * DAY) });
    await t.db.insertInto('link_codes').values([code('OLDCODE1', ago(2 * DAY)), code('NEWCODE1', ago(3_600_000))]).execute();
    const event = (id: string, status: 'done' | 'failed', at: string) => ({ platform: 'telegram' as const, event_id: id, payload: '{}', status, error: null, received_at: at, processed_at: at });
    await t.db.insertInto('inbound_events').values([event('1', 'done', ago(31 * DAY)), event('2', 'failed', ago(31 * DAY)), event('3', 'done', ago(29 * DAY))]).execute();

    const pruned = await pruneExpired(t.db, NOW, { choiceMenusMs: 7 * DAY, linkCodesMs: DAY, inboundEventsMs: 30 * DAY, webMessagesMs: 30 * DAY });
    expect(pruned).toEqual({ choiceMenus: 1, linkCodes: 1, inboundEvents: 1, webMessages: 0 });
    expect((await t.db.selectFrom('choice_menus').select('message_id').execute()).map((r) => r.message_id)).toEqual(['new']);
    expect((await t.db.selectFrom('link_codes').select('code').execute()).map((r) => r.code)).toEqual(['NEWCODE1']);
    expect((await t.db.selectFrom('inbound_events').select('event_id').orderBy('event_id').execute()).map((r) => r.event_id)).toEqual(['2', '3']);
  });

  it('keeps web timelines 30 days, but never a chat\'s newest entry or latest change (ids are never reused); erases expired clear codes', async () => {
    const entry = (chat: string, seq: number, rev: number, at: string, reveal: string | null = null) => ({
      chat_id: chat, seq, rev, sender: 'bot' as const, text: `m${seq}`, reply_to: null, buttons: null, client_id: null, created_at: at, edited_at: null,
      reveal_text: reveal, reveal_until: reveal === null ? null : ago(60_000),
    });
    await t.db.insertInto('web_messages').values([
      entry('a', 1, 1, ago(40 * DAY)), entry('a', 2, 2, ago(35 * DAY)), entry('a', 3, 3, ago(1 * DAY), 'mã: ABCD-EFGH'),
      entry('b', 1, 1, ago(40 * DAY)), entry('b', 2, 2, ago(40 * DAY)),
      entry('c', 1, 3, ago(40 * DAY)), entry('c', 2, 2, ago(40 * DAY)),
    ]).execute();
    const pruned = await pruneExpired(t.db, NOW, { choiceMenusMs: 7 * DAY, linkCodesMs: DAY, inboundEventsMs: 30 * DAY, webMessagesMs: 30 * DAY });
    expect(pruned.webMessages).toBe(3);
    const left = await t.db.selectFrom('web_messages').select(['chat_id', 'seq', 'reveal_text']).orderBy('chat_id').orderBy('seq').execute();
    expect(left.map((r) => `${r.chat_id}${r.seq}`)).toEqual(['a3', 'b2', 'c1', 'c2']);
    expect(left.every((r) => r.reveal_text === null)).toBe(true);
  });
});
