import { afterEach, describe, expect, it } from 'vitest';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { createInquiryWithQuestion } from '../../db/repositories/new-inquiry.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const NOW = '2026-11-23T02:00:00.000Z';

describe.each(testDialects())('a new inquiry with its question (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('writes the inquiry with its code and deadline, the ref, the entry, the dialog\'s end and the audit: one statement on PostgreSQL', async () => {
    h = await createTestDb(dialect);
    const db = h.db;
    const net = await seedMiniNetwork(db);
    const identityId = await linkChat(db, net.reporterId, 'telegram', 'u-rep');
    await db.updateTable('identities').set({ dialog: '{"step":"ask_confirm"}' }).where('id', '=', identityId).execute();
    const create = (messageId: string) => createInquiryWithQuestion(db, {
      reporterPersonId: net.reporterId, reporterIdentityId: identityId, originChatId: 'u-rep', originMessageId: messageId, topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Tình hình sốt xuất huyết?', receivedAt: NOW, urgentRequested: true,
      deadline: { deadline_class: 'incident', rule_id: 'r1', legal_basis: 'Luật', deadline_counting: 'wall', due_at: '2026-11-24T02:00:00.000Z', original_due_at: '2026-11-24T02:00:00.000Z', clock_from_at: NOW },
    }, {
      ref: { platform: 'telegram', chatId: 'u-rep', messageId, personId: net.reporterId }, identityId,
      audit: { at: NOW, actorPersonId: net.reporterId, actorIdentityId: identityId, action: 'inquiry.create', entity: 'inquiry', after: { status: 'assigned' } },
    });
    const before = h.statements();
    const { inquiry, entryId } = await create('m1');
    expect(h.statements() - before).toBe(dialect === 'postgres' ? 1 : 5);
    expect(inquiry).toEqual(await findInquiry(db, inquiry.id));
    expect(inquiry).toMatchObject({ code: `Q-${inquiry.id}`, status: 'assigned', urgent_requested: 1, deadline_class: 'incident', due_at: '2026-11-24T02:00:00.000Z', deadline_seq: 1, created_at: NOW, updated_at: NOW });
    expect(await db.selectFrom('message_refs').select(['message_id', 'inquiry_id', 'kind', 'person_id']).where('chat_id', '=', 'u-rep').execute())
      .toEqual([{ message_id: 'm1', inquiry_id: inquiry.id, kind: 'question', person_id: net.reporterId }]);
    expect(await db.selectFrom('inquiry_entries').select(['id', 'inquiry_id', 'kind', 'text']).execute())
      .toEqual([{ id: entryId, inquiry_id: inquiry.id, kind: 'question', text: 'Tình hình sốt xuất huyết?' }]);
    expect((await db.selectFrom('identities').select('dialog').where('id', '=', identityId).executeTakeFirstOrThrow()).dialog).toBeNull();
    expect(await db.selectFrom('audit_events').select(['action', 'entity', 'entity_id', 'after']).where('action', '=', 'inquiry.create').execute())
      .toEqual([{ action: 'inquiry.create', entity: 'inquiry', entity_id: String(inquiry.id), after: '{"status":"assigned"}' }]);
    // The next takes the next id, code and entry.
    const second = await create('m2');
    expect(second.inquiry.id).toBeGreaterThan(inquiry.id);
    expect(second.inquiry.code).toBe(`Q-${second.inquiry.id}`);
    expect(second.entryId).toBeGreaterThan(entryId);
  });
});
