import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import type { Inquiry, InquiryStatus } from '../../db/schema.js';
import { copyFor } from '../../flows/copy/index.js';
import { check, tellRefusal } from '../../flows/guards.js';
import { ACTIONS, actionOfAudit, LIFECYCLE } from '../../flows/lifecycle/table.js';
import { transition } from '../../flows/lifecycle/transition.js';
import type { Action, Party, TransitionInput } from '../../flows/lifecycle/types.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { testFlowContext, testFlowSettings } from '../helpers/flow-context.js';

const NOW = new Date('2026-11-23T04:00:00.000Z'); // Monday 11:00 in Vietnam
const NOW_ISO = NOW.toISOString();
const RECEIVED = '2026-11-16T01:00:00.000Z'; // Monday a week earlier, 08:00
const PAUSED = '2026-11-23T02:00:00.000Z'; // 09:00 today: two office hours before now
const DUE = '2026-11-23T17:00:00.000Z'; // complaint_conclusion (2026): 5 working days from receipt, 24:00 Mon 23
const STAMP = '2026-11-01T00:00:00.000Z';
const HOUR_MS = 3_600_000;
const STATUSES: readonly InquiryStatus[] = ['screening', 'assigned', 'acknowledged', 'clarifying', 'answered', 'declined', 'rejected', 'merged', 'withdrawn'];
const t = copyFor('vi');

/** Everyone the walk acts as. */
type Who = 'reporter' | 'other_reporter' | 'spokesperson' | 'other_spokesperson' | 'coordinator' | 'other_coordinator' | 'stranger';
const WHO: readonly Who[] = ['reporter', 'other_reporter', 'spokesperson', 'other_spokesperson', 'coordinator', 'other_coordinator', 'stranger'];

/** What each of them is to an inquiry of the health department, known from the fixture (not from the code under test). */
function partiesOf(who: Who, inquiry: Inquiry): Set<Party> {
  if (who === 'reporter') return new Set(['reporter']);
  if (who === 'spokesperson') return new Set(inquiry.org_id === null ? [] : ['spokesperson']);
  if (who === 'coordinator') return new Set(['coordinator']);
  return new Set();
}

/** Which status-changing event produced each seeded status, and who did it. */
const PRODUCED_BY: Partial<Record<InquiryStatus, { audit: string; by: 'reporter' | 'spokesperson' | 'coordinator' }>> = {
  acknowledged: { audit: 'inquiry.acknowledge', by: 'spokesperson' }, clarifying: { audit: 'inquiry.clarify', by: 'spokesperson' },
  answered: { audit: 'inquiry.answer', by: 'spokesperson' }, declined: { audit: 'inquiry.decline', by: 'spokesperson' },
  rejected: { audit: 'inquiry.reject', by: 'coordinator' }, merged: { audit: 'inquiry.merge', by: 'coordinator' },
  withdrawn: { audit: 'inquiry.withdraw', by: 'reporter' },
};

describe.each(testDialects())('the lifecycle table, walked on %s', (dialect) => {
  let tdb: TestDb;
  let db: Db;
  let net: MiniNetwork;
  const identity = {} as Record<Who, number>;
  const person = {} as Record<'reporter' | 'spokesperson' | 'coordinator', number>;
  const names = {} as Record<number, string>;

  beforeAll(async () => {
    tdb = await createTestDb(dialect);
    db = tdb.db;
    net = await seedMiniNetwork(db);
    const addPerson = async (name: string, role?: 'reporter' | 'coordinator', orgId: number | null = null) => {
      const p = await db.insertInto('persons').values({ code: null, full_name: name, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: STAMP, updated_at: STAMP }).returning('id').executeTakeFirstOrThrow();
      if (role) await db.insertInto('role_assignments').values({ person_id: p.id, role, kind: null, org_id: orgId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: STAMP, updated_at: STAMP }).execute();
      return p.id;
    };
    const elsewhere = await db.insertInto('orgs').values({ code: 'DNG', name: 'Đà Nẵng', name_en: null, type: 'province', parent_id: null, predecessor_id: null, valid_from: null, valid_to: null, screening: 0, created_at: STAMP, updated_at: STAMP }).returning('id').executeTakeFirstOrThrow();
    const ids: Record<Who, number> = {
      reporter: net.reporterId, other_reporter: await addPerson('Phóng Viên Khác', 'reporter'), spokesperson: net.healthSpokesId,
      other_spokesperson: net.financeSpokesId, coordinator: net.coordinatorId,
      other_coordinator: await addPerson('Điều Phối Đà Nẵng', 'coordinator', elsewhere.id), stranger: await addPerson('Người Lạ'),
    };
    for (const [i, who] of WHO.entries()) identity[who] = await linkChat(db, ids[who], 'telegram', String(500 + i));
    Object.assign(person, { reporter: net.reporterId, spokesperson: net.healthSpokesId, coordinator: net.coordinatorId });
    for (const p of await db.selectFrom('persons').select(['id', 'full_name']).execute()) names[p.id] = p.full_name;
  });
  afterAll(async () => { await tdb?.drop(); });

  /** An inquiry of the health department in `status`, as the flows leave it, with the event that produced it. */
  async function seed(status: InquiryStatus): Promise<Inquiry> {
    const screening = status === 'screening';
    const row = await db.insertInto('inquiries').values({
      code: null, reporter_person_id: net.reporterId, reporter_identity_id: identity.reporter, origin_chat_id: '500', origin_message_id: '1',
      topic_id: net.healthTopicId, org_id: screening ? null : net.healthId, suggested_org_id: net.healthId, status, question: 'Câu hỏi?',
      received_at: RECEIVED, deadline_class: 'complaint_conclusion', rule_id: '2026.complaint_conclusion', legal_basis: 'NĐ 237', due_at: DUE,
      original_due_at: DUE, deadline_counting: 'working', clock_from_at: RECEIVED, deadline_seq: 1,
      urgent_requested: 0, merged_into_id: null, decline_ground: null, decline_reason: null, reject_reason: null,
      handler_person_id: ['acknowledged', 'clarifying', 'answered'].includes(status) ? net.healthSpokesId : null,
      acknowledged_at: null, first_response_at: status === 'acknowledged' ? RECEIVED : null, answered_at: status === 'answered' ? RECEIVED : null,
      closed_at: ['screening', 'assigned', 'acknowledged', 'clarifying'].includes(status) ? null : RECEIVED,
      paused_at: status === 'clarifying' ? PAUSED : null, resume_status: status === 'clarifying' ? 'acknowledged' : null,
      rating: null, rated_at: null, created_at: RECEIVED, updated_at: RECEIVED,
    }).returningAll().executeTakeFirstOrThrow();
    const made = PRODUCED_BY[status];
    if (made) {
      await db.insertInto('audit_events').values({
        at: RECEIVED, actor_person_id: person[made.by], actor_identity_id: null, action: made.audit, entity: 'inquiry', entity_id: String(row.id),
        before: JSON.stringify({ status: 'assigned' }), after: JSON.stringify({ status }),
      }).execute();
    }
    return db.updateTable('inquiries').set({ code: `Q-${row.id}` }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  }

  async function snapshot(id: number) {
    const row = await db.selectFrom('inquiries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const entries = (await db.selectFrom('inquiry_entries').select('kind').where('inquiry_id', '=', id).orderBy('id').execute()).map((e) => e.kind);
    const audits = (await db.selectFrom('audit_events').select('action').where('entity_id', '=', String(id)).where('action', '!=', 'access.denied').orderBy('id').execute()).map((a) => a.action);
    return { row, entries, audits };
  }

  /** Acts as `who`: checks the table, then transitions when admitted (as a handler does), in one transaction. */
  async function act(who: Who, inquiry: Inquiry, action: Action, input: TransitionInput = {}) {
    return db.transaction().execute(async (tx) => {
      const { ctx, replies } = await testFlowContext(tx, identity[who], NOW, testFlowSettings(tx));
      const verdict = await check(ctx, inquiry, action);
      if (!('action' in verdict)) {
        await tellRefusal(ctx, verdict, String(inquiry.id));
        return { refusal: verdict.reason, result: undefined, replies, synced: ctx.effects.deadlineIds };
      }
      const result = await transition(ctx, verdict, { entryText: 'nội dung', ...input });
      return { refusal: undefined, result, replies, synced: ctx.effects.deadlineIds };
    });
  }

  /** What the other inputs of each action are, in the walk. */
  function inputOf(action: Action): TransitionInput {
    switch (action) {
      case 'transfer': return { set: { org_id: net.financeId, handler_person_id: null }, clock: { orgId: net.financeId } };
      case 'route': return { set: { org_id: net.financeId }, clock: { orgId: net.financeId } };
      case 'classify': return { set: { class_confirmed: 1 }, clock: { deadlineClass: 'incident' } };
      case 'extend_approve': return { clock: { dueAt: new Date('2026-12-04T10:00:00.000Z') } };
      case 'conclude': return { clock: { concludedOn: '2026-11-20' } };
      case 'rate': return { set: { rating: 'satisfied', rated_at: NOW_ISO } };
      default: return {};
    }
  }

  /** The due time each re-timing action must land on (README "Deadlines"). */
  const EXPECTED_DUE: Partial<Record<Action, string>> = {
    transfer: DUE, route: DUE, // same rule at the new agency, still counted from receipt
    classify: '2026-11-17T01:00:00.000Z', // incident: 24 hours from receipt
    extend_approve: '2026-12-04T10:00:00.000Z',
    reopen: '2026-11-30T17:00:00.000Z', // 5 working days from the follow-up (Mon 23): 24:00 Mon 30
    conclude: '2026-11-27T17:00:00.000Z', // 5 working days after the conclusion (Fri 20): 24:00 Fri 27
  };

  function expectClock(action: Action, before: Inquiry, after: Inquiry, synced: number[]) {
    const effect = LIFECYCLE[action].clock;
    expect(synced.includes(before.id), `${action}: deadline re-sync`).toBe(effect !== 'none');
    if (effect === 'none' || effect === 'stop') {
      expect({ due: after.due_at, seq: after.deadline_seq, paused: after.paused_at }).toEqual({ due: before.due_at, seq: before.deadline_seq, paused: before.paused_at });
      if (effect === 'stop') expect(after.closed_at).toBe(NOW_ISO);
      return;
    }
    expect(after.deadline_seq, `${action}: the deadline moved`).toBe(before.deadline_seq + 1);
    if (effect === 'pause') expect({ paused: after.paused_at, resume: after.resume_status }).toEqual({ paused: NOW_ISO, resume: before.status });
    if (effect === 'resume') {
      expect({ paused: after.paused_at, pausedMs: Number(after.paused_ms) }).toEqual({ paused: null, pausedMs: 2 * HOUR_MS });
      expect(Date.parse(after.due_at!)).toBeGreaterThan(Date.parse(before.due_at!));
    }
    if (EXPECTED_DUE[action]) expect(after.due_at, `${action}: due time`).toBe(EXPECTED_DUE[action]);
    if (effect === 'extend') expect(after.original_due_at).toBe(before.original_due_at);
    if (effect === 'new_deadline') {
      expect(Number(after.period_seq), `${action}: a new period begins`).toBe(before.deadline_seq + 1);
      expect(after.clock_from_at).toBe(action === 'reopen' ? NOW_ISO : '2026-11-19T17:00:00.000Z');
    }
  }

  async function expectAllowed(action: Action, status: InquiryStatus, who: Who) {
    const before = await seed(status);
    const was = await snapshot(before.id);
    const out = await act(who, before, action, inputOf(action));
    expect(out.result?.ok, `${action} from ${status} by ${who}`).toBe(true);
    const now = await snapshot(before.id);
    const rule = LIFECYCLE[action];
    const to = rule.to === 'same' ? status : rule.to === 'paused_from' ? (before.resume_status ?? 'acknowledged') : rule.to;
    expect(now.row.status, `${action} from ${status}: target status`).toBe(to);
    expect(now.entries).toEqual([...was.entries, ...(rule.entry ? [rule.entry] : [])]);
    expect(now.audits).toEqual([...was.audits, rule.audit]);
    expect(now.row.first_response_at).toBe(rule.responds ? (before.first_response_at ?? NOW_ISO) : before.first_response_at);
    expectClock(action, before, now.row, out.synced);
  }

  async function expectRefused(action: Action, inquiry: Inquiry, who: Who, reason: 'not_allowed' | 'stale') {
    const was = await snapshot(inquiry.id);
    const out = await act(who, inquiry, action, inputOf(action));
    expect(out.refusal, `${action} from ${inquiry.status} by ${who}`).toBe(reason);
    expect(await snapshot(inquiry.id)).toEqual(was);
    expect(out.synced).toEqual([]);
    const made = PRODUCED_BY[inquiry.status];
    const said = reason === 'not_allowed' ? t.notAllowed
      : made ? t.lifecycle.happened({ code: inquiry.code!, action: actionOfAudit(made.audit)!, by: names[person[made.by]]!, self: who === made.by, at: RECEIVED })
        : t.stale(inquiry.code!, inquiry.status);
    expect(out.replies).toEqual([said]);
  }

  for (const action of ACTIONS) {
    it(`${action}: from every status, by everyone`, async () => {
      const rule = LIFECYCLE[action];
      for (const status of STATUSES) {
        const shared = await seed(status);
        for (const who of WHO) {
          const parties = partiesOf(who, shared);
          const mayAct = rule.who.some((p) => parties.has(p));
          if (mayAct && rule.from.includes(status)) await expectAllowed(action, status, who);
          else await expectRefused(action, shared, who, mayAct ? 'stale' : 'not_allowed');
        }
      }
    });
  }

  it('every action tells plainly who acted first when it loses a race, and changes nothing', async () => {
    for (const action of ACTIONS) {
      const rule = LIFECYCLE[action];
      const status = rule.from[0]!;
      const who: Who = rule.who[0] === 'reporter' ? 'reporter' : rule.who[0] === 'spokesperson' ? 'spokesperson' : 'coordinator';
      const inquiry = await seed(status === 'screening' && who === 'spokesperson' ? 'assigned' : status);
      const out = await db.transaction().execute(async (tx) => {
        const { ctx, replies } = await testFlowContext(tx, identity[who], NOW, testFlowSettings(tx));
        const admitted = await check(ctx, inquiry, action);
        if (!('action' in admitted)) throw new Error(`${action} not admitted`);
        // Meanwhile the reporter withdrew it (as another transaction would have).
        await tx.updateTable('inquiries').set({ status: 'withdrawn' }).where('id', '=', inquiry.id).execute();
        await tx.insertInto('audit_events').values({ at: NOW_ISO, actor_person_id: net.reporterId, actor_identity_id: null, action: 'inquiry.withdraw', entity: 'inquiry', entity_id: String(inquiry.id), before: JSON.stringify({ status }), after: JSON.stringify({ status: 'withdrawn' }) }).execute();
        const result = await transition(ctx, admitted, { entryText: 'nội dung', ...inputOf(action) });
        if (!result.ok) await tellRefusal(ctx, result, String(inquiry.id));
        const entries = await tx.selectFrom('inquiry_entries').select('kind').where('inquiry_id', '=', inquiry.id).execute();
        const audits = await tx.selectFrom('audit_events').select('action').where('entity_id', '=', String(inquiry.id)).orderBy('id').execute();
        return { result, replies, entries, audits: audits.map((a) => a.action), synced: ctx.effects.deadlineIds };
      });
      expect(out.result.ok, action).toBe(false);
      if (!out.result.ok) expect(out.result).toMatchObject({ reason: 'lost', last: { action: 'withdraw', byPersonId: net.reporterId } });
      expect(out.entries, action).toEqual([]);
      expect(out.audits.at(-1), action).toBe('inquiry.withdraw');
      expect(out.synced).toEqual([]);
      const by = who === 'reporter' ? 'bạn' : 'Trần Thị Phóng Viên';
      expect(out.replies, action).toEqual([`Thao tác không còn hiệu lực: câu hỏi ${inquiry.code} đã được ${by} rút lúc 23/11/2026 11:00.`]);
    }
  });
});
