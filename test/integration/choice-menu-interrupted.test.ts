/**
 * A numbered reply on Zalo quoting a menu the platform delivered but we have not recorded — its
 * send still in flight (the reply came first, seconds on a loaded machine) or interrupted (`kill -9`
 * between the send and its record): the reply presses that menu's button, not the first button of
 * the chat's older recorded menu ("Lựa chọn này đã được ghi nhận"). Found by the fault suite's Zalo
 * load. The claimed row below stands for both (a claim is what an in-flight send holds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChoiceMenu, insertChoiceMenu } from '../../db/repositories/choice-menus.js';
import { insertOutbox } from '../../db/repositories/outbox.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const SINCE = '2026-12-01T00:00:00.000Z';
const OLD_MENU = JSON.stringify([[{ label: 'Gửi', action: 'ask_send', payload: '1' }]]);
const TOPICS = JSON.stringify([[{ label: 'Y tế', action: 'ask_topic', payload: 'yte' }], [{ label: 'Giáo dục', action: 'ask_topic', payload: 'gd' }]]);

describe.each(testDialects())('a numbered reply to an unrecorded menu on %s', (dialect) => {
  let t: TestDb;
  let identityId: number;
  let chatSeq = 0;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const personId = (await t.db.insertInto('persons').values({
      full_name: 'Lê Thị E', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null,
      tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: SINCE, updated_at: SINCE,
    }).returning('id').executeTakeFirstOrThrow()).id;
    identityId = (await t.db.insertInto('identities').values({
      platform: 'zalo_oa', platform_user_id: 'z-e', chat_id: 'z-e', person_id: personId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: SINCE, updated_at: SINCE,
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => { await t.drop(); });

  /** A chat whose older menu was recorded, and whose newer menu row was claimed by a process that died. */
  async function chatWithInterruptedMenu(claimed: boolean): Promise<string> {
    const chatId = `z-${dialect}-${++chatSeq}`;
    await insertChoiceMenu(t.db, { platform: 'zalo_oa', chatId, messageId: 'old-menu', buttons: OLD_MENU, at: '2026-12-05T02:00:00.000Z' });
    const id = await insertOutbox(t.db, {
      queue: 'outbox', identity_id: identityId, platform: 'zalo_oa', chat_id: chatId, text: 'Câu hỏi của bạn thuộc lĩnh vực nào?',
      buttons: TOPICS, reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: null, ref_kind: null,
      ref_person_id: null, report_unreachable: 0, status: 'pending', attempts: 0, parts_sent: 0,
      sent_message_id: null, sent_message_ids: null, last_error: null, created_at: '2026-12-05T02:00:05.000Z', sent_at: null,
    });
    if (claimed) await t.db.updateTable('outbox').set({ lease_owner: 'outbox-dead', lease_until: '2026-12-05T02:00:08.000Z' }).where('id', '=', id).execute();
    return chatId;
  }

  it('takes the interrupted send’s buttons under the quoted id', async () => {
    const chatId = await chatWithInterruptedMenu(true);
    const menu = await findChoiceMenu(t.db, 'zalo_oa', chatId, 'lost-id-never-recorded', SINCE);
    expect(menu).toMatchObject({ message_id: 'lost-id-never-recorded', buttons: TOPICS });
  });

  it('keeps the recorded menu when the quoted one is known, when nothing was interrupted, or when the reply quotes nothing', async () => {
    const chatId = await chatWithInterruptedMenu(true);
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, 'old-menu', SINCE)).toMatchObject({ message_id: 'old-menu', buttons: OLD_MENU });
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, undefined, SINCE)).toMatchObject({ message_id: 'old-menu' });
    const calm = await chatWithInterruptedMenu(false);
    expect(await findChoiceMenu(t.db, 'zalo_oa', calm, 'some-text-message', SINCE)).toMatchObject({ message_id: 'old-menu' });
  });

  it('prefers a menu recorded after the interrupted send (its copy, sent again)', async () => {
    const chatId = await chatWithInterruptedMenu(true);
    await insertChoiceMenu(t.db, { platform: 'zalo_oa', chatId, messageId: 'copy', buttons: TOPICS, at: '2026-12-05T02:00:09.000Z' });
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, 'lost-id-never-recorded', SINCE)).toMatchObject({ message_id: 'copy' });
  });

  it('while a dialog waits on the topics, a reply quoting the lost copy answers the topics, not a rating recorded since', async () => {
    const chatId = await chatWithInterruptedMenu(true);
    const RATING = JSON.stringify([[{ label: 'Hài lòng', action: 'rate', payload: '1.s' }]]);
    await insertChoiceMenu(t.db, { platform: 'zalo_oa', chatId, messageId: 'copy', buttons: TOPICS, at: '2026-12-05T02:00:09.000Z' });
    await insertChoiceMenu(t.db, { platform: 'zalo_oa', chatId, messageId: 'rating', buttons: RATING, at: '2026-12-05T02:00:10.000Z' });
    const topics = (json: string) => json.includes('"ask_topic"');
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, 'lost-id-never-recorded', SINCE)).toMatchObject({ message_id: 'rating' });
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, 'lost-id-never-recorded', SINCE, topics)).toMatchObject({ message_id: 'copy', buttons: TOPICS });
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, undefined, SINCE, topics)).toMatchObject({ message_id: 'copy' });
    // A quoted menu we know is what the reporter meant, whatever the dialog waits on.
    expect(await findChoiceMenu(t.db, 'zalo_oa', chatId, 'rating', SINCE, topics)).toMatchObject({ message_id: 'rating' });
  });
});
