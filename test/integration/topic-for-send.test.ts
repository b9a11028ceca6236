import { afterEach, describe, expect, it } from 'vitest';
import { overridesUpTheTree } from '../../db/repositories/deadlines.js';
import { agencyRecipients } from '../../db/repositories/agency-recipients.js';
import { findPerson, topicWithOrg } from '../../db/repositories/directory.js';
import { topicForSend } from '../../db/repositories/topic-for-send.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork } from '../helpers/directory-fixture.js';

const AT = '2026-01-01T00:00:00.000Z';

describe.each(testDialects())('a topic for sending in one statement (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  it('reads the topic, its organisation and the overrides up its tree as topicWithOrg and overridesUpTheTree do', async () => {
    h = await createTestDb(dialect);
    const db = h.db;
    const net = await seedMiniNetwork(db);
    const add = async (code: string, parentId: number | null) => (await db.insertInto('orgs').values({
      code, name: code, name_en: `${code} (en)`, type: 'department', parent_id: parentId, predecessor_id: null, valid_from: null, valid_to: null, screening: 1, created_at: AT, updated_at: AT,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const root = await add('T-ROOT', null);
    const leaf = await add('T-LEAF', await add('T-MID', root));
    const override = (orgId: number, amount: number, deadlineClass: 'routine' | 'incident') => db.insertInto('deadline_overrides').values({
      org_id: orgId, deadline_class: deadlineClass, amount, unit: 'working_days', legal_basis: `QĐ ${amount}`, valid_from: null, valid_to: '2027-01-01', created_at: AT, updated_at: AT,
    }).execute();
    await override(root, 10, 'routine');
    await override(leaf, 3, 'routine');
    await override(leaf, 4, 'routine');
    await override(leaf, 7, 'incident');
    const topic = (await db.insertInto('topics').values({ code: 'T-TOPIC', name: 'Chủ đề', name_en: null, org_id: leaf, screening: null, active: 1, created_at: AT, updated_at: AT })
      .returning('id').executeTakeFirstOrThrow()).id;
    for (const [topicId, deadlineClass] of [[topic, 'routine'], [topic, 'incident'], [net.healthTopicId, 'routine']] as const) {
      const before = h.statements();
      const found = await topicForSend(db, topicId, deadlineClass);
      expect(h.statements()).toBe(before + 1);
      const expected = await topicWithOrg(db, topicId);
      expect({ topic: found.topic, org: found.org }).toEqual(expected);
      expect(found.tree).toEqual(await overridesUpTheTree(db, expected.topic!.org_id, deadlineClass));
    }
    expect((await topicForSend(db, topic, 'routine')).tree?.overrides.get(leaf)?.map((o) => o.amount)).toEqual([3, 4]);
    expect(await topicForSend(db, 999_999, 'routine')).toEqual({ topic: undefined, org: undefined, tree: undefined });
    // A topic whose organisation is gone: no org, its chain just its own id (as overridesUpTheTree).
    await db.updateTable('topics').set({ org_id: 888_888 }).where('id', '=', topic).execute().catch(() => undefined);
    const orphan = await topicForSend(db, topic, 'routine');
    const current = await topicWithOrg(db, topic);
    expect({ topic: orphan.topic, org: orphan.org }).toEqual(current);
    expect(orphan.tree).toEqual(await overridesUpTheTree(db, current.topic!.org_id, 'routine'));
  });

  it('reads who at the topic\'s organisation receives a new inquiry with it, as agencyRecipients does (one statement on PostgreSQL)', async () => {
    h = await createTestDb(dialect);
    const db = h.db;
    const net = await seedMiniNetwork(db);
    await linkChat(db, net.healthSpokesId, 'telegram', 'sp-a');
    const preferred = await linkChat(db, net.healthSpokesId, 'zalo_oa', 'sp-b');
    await db.updateTable('identities').set({ preferred: 1 }).where('id', '=', preferred).execute();
    const reporter = await findPerson(db, net.reporterId);
    const asked = { today: '2026-11-23', outletId: reporter!.outlet_id };
    const before = h.statements();
    const found = await topicForSend(db, net.healthTopicId, 'routine', asked);
    expect(h.statements()).toBe(before + (dialect === 'postgres' ? 1 : 2));
    const expected = await agencyRecipients(db, { orgId: net.healthId, inquiryId: 999_999, today: asked.today, outletId: asked.outletId });
    expect(found.recipients).toEqual({ ...expected, orgId: net.healthId });
    expect(found.recipients?.assignments.map((a) => a.personId)).toEqual([net.healthSpokesId]);
    expect(found.recipients?.reach.get(net.healthSpokesId)?.identity.id).toBe(preferred);
    expect(found.recipients?.outlet?.code).toBe('HUE');
    // What the topic read is the same with or without the recipients.
    const { recipients: _recipients, ...plain } = found;
    expect(plain).toEqual(await topicForSend(db, net.healthTopicId, 'routine'));
    // Nobody assigned and no outlet: none, and no outlet.
    await db.deleteFrom('role_assignments').where('person_id', '=', net.healthSpokesId).execute();
    const empty = await topicForSend(db, net.healthTopicId, 'routine', { today: asked.today, outletId: null });
    expect(empty.recipients).toEqual({ assignments: [], reach: new Map(), outlet: undefined, orgId: net.healthId });
    expect(await topicForSend(db, 999_999, 'routine', asked)).toEqual({ topic: undefined, org: undefined, tree: undefined });
  });
});
