import { afterEach, describe, expect, it } from 'vitest';
import { agencyRecipients } from '../../db/repositories/agency-recipients.js';
import { findOutlet, findPerson, preferredIdentityWithLocale } from '../../db/repositories/directory.js';
import { createInquiry } from '../../db/repositories/inquiries.js';
import { chooseSpokespersons, spokespersonsFor } from '../../flows/roles.js';
import type { RoleStatus, SpokespersonKind } from '../../db/schema.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const AT = '2026-01-01T00:00:00.000Z';
const TODAY = '2026-11-23';

describe.each(testDialects())('an agency\'s recipients in one statement (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('chooses the same people as spokespersonsFor, reached where preferredIdentityWithLocale reaches them, with the reporter\'s outlet', async () => {
    h = await createTestDb(dialect);
    const db = h.db;
    const net = await seedMiniNetwork(db);
    const person = async (name: string, locale: string | null) => (await db.insertInto('persons').values({
      full_name: name, code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale, invite_code: null, invite_used_at: null, created_at: AT, updated_at: AT,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const assign = (personId: number, kind: SpokespersonKind, orgId: number | null, extra: { case?: number; from?: string; to?: string; status?: RoleStatus } = {}) => db.insertInto('role_assignments').values({
      person_id: personId, role: 'spokesperson', kind, org_id: orgId, status: extra.status ?? 'active', case_inquiry_id: extra.case ?? null,
      valid_from: extra.from ?? null, valid_to: extra.to ?? null, created_at: AT, updated_at: AT,
    }).execute();
    const reporterChat = await linkChat(db, net.reporterId, 'telegram', 'u-rep');
    const inquiry = await createInquiry(db, {
      reporterPersonId: net.reporterId, reporterIdentityId: reporterChat, originChatId: 'u-rep', originMessageId: '1', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Câu hỏi?', receivedAt: AT,
    });
    const other = await createInquiry(db, {
      reporterPersonId: net.reporterId, reporterIdentityId: reporterChat, originChatId: 'u-rep', originMessageId: '2', topicId: net.healthTopicId,
      orgId: net.healthId, suggestedOrgId: net.healthId, status: 'assigned', question: 'Câu khác?', receivedAt: AT,
    });
    // The regular one reached on two chats (the later one preferred), an English-speaking case deputy,
    // an expired and a revoked assignment, one authorised for another case, and a head (not chosen while others are).
    await linkChat(db, net.healthSpokesId, 'telegram', 'sp-a');
    const preferred = await linkChat(db, net.healthSpokesId, 'zalo_oa', 'sp-b');
    await db.updateTable('identities').set({ preferred: 1 }).where('id', '=', preferred).execute();
    const deputy = await person('Phó', 'en');
    await assign(deputy, 'authorised', null, { case: inquiry.id });
    await linkChat(db, deputy, 'telegram', 'dep');
    const expired = await person('Hết hạn', null);
    await assign(expired, 'regular', net.healthId, { to: '2026-01-01' });
    await linkChat(db, expired, 'telegram', 'exp');
    const revoked = await person('Thôi', null);
    await assign(revoked, 'regular', net.healthId, { status: 'revoked' });
    const elsewhere = await person('Vụ khác', null);
    await assign(elsewhere, 'authorised', null, { case: other.id });
    const head = await person('Trưởng', null);
    await assign(head, 'head', net.healthId);
    const unreached = await person('Không chat', null);
    await assign(unreached, 'regular', net.healthId, { from: '2026-11-01' });

    const reporter = await findPerson(db, net.reporterId);
    const before = h.statements();
    const found = await agencyRecipients(db, { orgId: net.healthId, inquiryId: inquiry.id, today: TODAY, outletId: reporter!.outlet_id });
    expect(h.statements()).toBe(before + 1);
    const people = chooseSpokespersons(found.assignments);
    expect(people).toEqual(await spokespersonsFor(db, inquiry, TODAY));
    expect(new Set(people)).toEqual(new Set([net.healthSpokesId, unreached, deputy]));
    for (const id of [...people, head, expired]) {
      const expected = await preferredIdentityWithLocale(db, id);
      if (people.includes(id)) expect(found.reach.get(id)).toEqual(expected);
    }
    expect(found.reach.get(net.healthSpokesId)?.identity.id).toBe(preferred);
    expect(found.reach.get(deputy)?.personLocale).toBe('en');
    expect(found.reach.has(unreached)).toBe(false);
    expect(found.outlet).toEqual(await findOutlet(db, reporter!.outlet_id!));

    // Only a head at the agency: the head; nobody at all: nobody, and the outlet still found.
    const lone = await db.insertInto('orgs').values({
      code: 'LONE', name: 'Lẻ', name_en: null, type: 'department', parent_id: null, predecessor_id: null, valid_from: null, valid_to: null, screening: 0, created_at: AT, updated_at: AT,
    }).returning('id').executeTakeFirstOrThrow();
    const atLone = await agencyRecipients(db, { orgId: lone.id, inquiryId: other.id, today: TODAY, outletId: reporter!.outlet_id });
    expect(chooseSpokespersons(atLone.assignments)).toEqual([elsewhere]);
    expect(atLone.outlet?.id).toBe(reporter!.outlet_id);
    await assign(head, 'head', lone.id);
    const headOnly = await agencyRecipients(db, { orgId: lone.id, inquiryId: 999_999, today: TODAY });
    expect(chooseSpokespersons(headOnly.assignments)).toEqual([head]);
    expect(headOnly.outlet).toBeUndefined();
    expect(chooseSpokespersons((await agencyRecipients(db, { orgId: 999_999, inquiryId: 999_999, today: TODAY })).assignments)).toEqual([]);
  });
});
