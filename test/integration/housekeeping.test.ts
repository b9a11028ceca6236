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

    const pruned = await pruneExpired(t.db, NOW, { choiceMenusMs: 7 * DAY, linkCodesMs: DAY, inboundEventsMs: 30 * DAY });
    expect(pruned).toEqual({ choiceMenus: 1, linkCodes: 1, inboundEvents: 1 });
    expect((await t.db.selectFrom('choice_menus').select('message_id').execute()).map((r) => r.message_id)).toEqual(['new']);
    expect((await t.db.selectFrom('link_codes').select('code').execute()).map((r) => r.code)).toEqual(['NEWCODE1']);
    expect((await t.db.selectFrom('inbound_events').select('event_id').orderBy('event_id').execute()).map((r) => r.event_id)).toEqual(['2', '3']);
  });
});
