import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findDeadlineInquiries } from '../../db/repositories/deadlines.js';
import { createInquiry } from '../../db/repositories/inquiries.js';
import type { DeadlineClass } from '../../db/schema.js';
import { fireDeadlineStep } from '../../flows/deadline/fire.js';
import { createLogger } from '../../src/logger.js';
import {
  createDeadlineScheduler, createStepFirer, defaultDeadlineSettings, type DeadlineJobData, type DeadlineScheduler,
} from '../../src/scheduler/deadlines/index.js';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { createManualClock } from '../../src/time/clock.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { atLocalTime } from '../../src/time/local.js';
import { isOfficeTime } from '../../src/time/office-hours.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const cal = createWorkCalendar({ official: [], officialYears: [] });
/** Local wall time in Vietnam: `at('2026-11-23 10:00')`. */
const at = (text: string) => atLocalTime(text.slice(0, 10), text.slice(11));
const local = (d: Date | string) => new Date(new Date(d).getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe.each(testDialects())('deadline scheduler on %s', (dialect) => {
  const prefix = uniquePrefix(`deadlines-${dialect}`);
  const clock = createManualClock(at('2026-11-23 08:00'));
  const queued: number[] = [];
  let t: TestDb;
  let net: MiniNetwork;
  let scheduler: DeadlineScheduler;
  let reporterIdentityId: number;
  let inspect: Queue<DeadlineJobData>;

  const newScheduler = () => createDeadlineScheduler({
    db: t.db, redis: { url: TEST_REDIS_URL }, prefix, logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock, settings: defaultDeadlineSettings(), loadCalendar: async () => cal, calendarTtlMs: 0,
    onFire: createStepFirer(t.db, clock, 'vi'),
    enqueueOutbox: async (ids) => { queued.push(...ids); },
  });

  /** A new inquiry at the health department with its legal deadline, and its jobs. */
  async function ask(received: string, deadlineClass: DeadlineClass = 'routine', status: 'assigned' | 'screening' = 'assigned'): Promise<number> {
    const receivedAt = at(received);
    const inquiry = await createInquiry(t.db, {
      reporterPersonId: net.reporterId, reporterIdentityId, originChatId: 'u-rep', originMessageId: '1', topicId: net.healthTopicId,
      orgId: status === 'assigned' ? net.healthId : null, suggestedOrgId: net.healthId, status,
      question: 'Bệnh viện tỉnh có đủ thuốc điều trị sốt xuất huyết không?', receivedAt: receivedAt.toISOString(),
    });
    const a = await createDeadlinePolicy({ db: t.db, loadCalendar: () => cal }).assign({ receivedAt, deadlineClass, orgId: net.healthId });
    await t.db.updateTable('inquiries').set({
      deadline_class: a.deadlineClass, rule_id: a.ruleId, legal_basis: a.legalBasis, due_at: a.dueAt.toISOString(),
      original_due_at: a.dueAt.toISOString(), deadline_counting: a.counting, deadline_seq: 1,
    }).where('id', '=', inquiry.id).execute();
    await scheduler.sync([inquiry.id]);
    return inquiry.id;
  }

  const allJobs = () => inspect.getJobs(['delayed', 'waiting', 'active', 'prioritized']);
  const jobsOf = async (id: number) => (await allJobs()).filter((j) => j.data.inquiryId === id)
    .map((j) => `${j.id} ${j.data.step} ${local(new Date(j.data.fireAt))}`).sort();

  /** Moves every delayed job that is due on the manual clock to waiting, and waits (bounded) until the worker is idle. */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const due = (await inspect.getDelayed()).filter((j) => j.data.fireAt <= clock.now().getTime());
      await Promise.all(due.map((j) => j.promote().catch(() => undefined)));
      const counts = await inspect.getJobCounts('waiting', 'active', 'prioritized');
      if (due.length === 0 && Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`deadline queue did not settle: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function waitUntil(probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error('condition not met within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Advances the manual clock job by job (each to its fireAt) up to `until`. */
  async function advanceTo(until: string): Promise<void> {
    const end = at(until).getTime();
    for (;;) {
      const next = Math.min(...(await inspect.getDelayed()).map((j) => j.data.fireAt));
      if (!(next <= end)) break;
      if (next > clock.now().getTime()) clock.set(new Date(next));
      await settle();
    }
    clock.set(new Date(end));
    await settle();
  }

  const fired = async (id: number) => (await t.db.selectFrom('deadline_events').selectAll().where('inquiry_id', '=', id).execute())
    .map((e) => `${local(e.fired_at)} ${e.step}`).sort();
  const inbox = (chat: string, id: number) => t.db.selectFrom('outbox').selectAll().where('chat_id', '=', chat).where('inquiry_id', '=', id).orderBy('id').execute();
  const texts = async (chat: string, code: string) => (await t.db.selectFrom('outbox').select('text').where('chat_id', '=', chat).orderBy('id').execute())
    .map((r) => r.text).filter((x) => x.includes(code));

  beforeAll(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    const person = async (name: string, role: 'spokesperson' | 'leader', orgId: number, kind: 'head' | null) => {
      const p = await t.db.insertInto('persons').values({ code: name, full_name: name, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('role_assignments').values({ person_id: p.id, role, kind, org_id: orgId, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).execute();
      return p.id;
    };
    reporterIdentityId = await linkChat(t.db, net.reporterId, 'telegram', 'u-rep');
    await linkChat(t.db, net.healthSpokesId, 'telegram', 'u-sp');
    await linkChat(t.db, net.coordinatorId, 'telegram', 'u-co');
    await linkChat(t.db, await person('Giám đốc Sở Y tế', 'spokesperson', net.healthId, 'head'), 'telegram', 'u-head');
    await linkChat(t.db, await person('Phó Chủ tịch UBND', 'leader', net.cityId, null), 'telegram', 'u-lead');
    scheduler = newScheduler();
    await scheduler.start();
    inspect = new Queue<DeadlineJobData>('deadlines', { connection: { url: TEST_REDIS_URL }, prefix });
  });

  afterEach(async () => {
    await inspect.drain(true);
  });

  afterAll(async () => {
    await scheduler?.close();
    await inspect?.close();
    await t?.drop();
    await deletePrefix(prefix);
  });

  it('plans a new inquiry from what its transaction knew, the job the database gives, and never replaces a job already there', async () => {
    clock.set(at('2026-11-23 10:00'));
    const id = await ask('2026-11-23 10:00');
    const fromDatabase = await jobsOf(id);
    const [row] = await findDeadlineInquiries(t.db, [id]);
    const hours = (await t.db.selectFrom('orgs').select('office_hours').where('id', '=', net.healthId).executeTakeFirstOrThrow()).office_hours;
    // Another change's sync (which read the committed database) got there first: its job stays.
    const stale = { ...row!, due_at: at('2026-11-30 24:00').toISOString() };
    const before = t.statements();
    await scheduler.sync([id], [{ inquiry: stale, officeHoursJson: hours }]);
    expect(t.statements()).toBe(before);
    expect(await jobsOf(id)).toEqual(fromDatabase);
    // With no job yet, the transaction's facts give the same job as the database would.
    await inspect.remove(`deadline-${id}`);
    await scheduler.sync([id], [{ inquiry: row!, officeHoursJson: hours }]);
    expect(await jobsOf(id)).toEqual(fromDatabase);
    expect(t.statements()).toBe(before);
  });

  it('fires the ladder in order: reminders, due, head, coordinating office, leader, daily nudges', async () => {
    clock.set(at('2026-11-23 10:00'));
    const id = await ask('2026-11-23 10:00'); // routine, Monday: due at 24:00 Wednesday
    // One job per inquiry, for its next step; each step re-arms it for the one after.
    expect(await jobsOf(id)).toEqual([`deadline-${id} r50-1 2026-11-24 14:30`]);
    await advanceTo('2026-12-01 09:00');
    expect(await fired(id)).toEqual([
      '2026-11-24 14:30 r50-1', '2026-11-25 11:00 r80-1', '2026-11-26 07:30 due-1', '2026-11-26 07:30 esc_head-1',
      '2026-11-27 07:30 esc_coord-1', '2026-11-27 08:00 od20261127-1', '2026-11-30 07:30 esc_leader-1',
      '2026-11-30 08:00 od20261130-1', '2026-12-01 08:00 od20261201-1',
    ]);
    const code = `Q-${id}`;
    const toSpokesperson = await inbox('u-sp', id);
    expect(toSpokesperson).toHaveLength(6);
    expect(toSpokesperson[0]!.text).toContain(`${code} đã dùng 50%`);
    expect(toSpokesperson[0]!.text).toContain('Sở Y tế');
    expect(JSON.parse(toSpokesperson[0]!.buttons ?? '[]').flat().map((b: { action: string }) => b.action)).toEqual(['wk', 'ext', 'trf']);
    expect(toSpokesperson[0]!.ref_kind).toBe('staff_notice');
    expect(await texts('u-head', code)).toEqual([expect.stringMatching(/Thủ trưởng.*đã quá hạn 7 giờ 30 phút/s)]);
    expect(await texts('u-co', code)).toEqual([expect.stringMatching(/đầu mối.*quá hạn 1 ngày 7 giờ/s)]);
    expect(await texts('u-lead', code)).toEqual([expect.stringMatching(/lãnh đạo.*quá hạn 4 ngày 7 giờ/s)]);
    expect(queued).toEqual(expect.arrayContaining(toSpokesperson.map((r) => r.id)));
    expect(await t.db.selectFrom('audit_events').select('action').where('entity_id', '=', String(id)).where('action', 'like', 'deadline.%').execute()).toHaveLength(9);
  });

  it('puts back a job that runs before its time on the injected clock', async () => {
    clock.set(at('2026-11-23 10:00'));
    const id = await ask('2026-11-23 10:00');
    const r50 = (await inspect.getDelayed()).find((j) => j.id === `deadline-${id}`)!;
    await r50.promote();
    await waitUntil(async () => (await inspect.getJobState(r50.id!)) === 'delayed');
    expect(await fired(id)).toEqual([]);
    expect(await jobsOf(id)).toEqual([`deadline-${id} r50-1 2026-11-24 14:30`]);
  });

  it('sends working-time reminders only in office hours, skipping the weekend and the National Day holidays', async () => {
    clock.set(at('2026-08-28 16:00'));
    const id = await ask('2026-08-28 16:00'); // Friday; 1–2 Sep are holidays
    await advanceTo('2026-09-08 12:00');
    const times = (await t.db.selectFrom('deadline_events').select('fired_at').where('inquiry_id', '=', id).execute()).map((e) => new Date(e.fired_at));
    expect(times.length).toBeGreaterThanOrEqual(7);
    for (const time of times) expect(isOfficeTime(time, cal), local(time)).toBe(true);
    expect((await fired(id)).slice(0, 3)).toEqual(['2026-08-31 16:30 r50-1', '2026-09-03 13:48 r80-1', '2026-09-04 07:30 due-1']);
  });

  it('reminds a 24-hour incident on the wall clock, at night and at the weekend', async () => {
    clock.set(at('2026-11-27 14:00'));
    const id = await ask('2026-11-27 14:00', 'incident'); // Friday afternoon
    await advanceTo('2026-11-28 14:30');
    expect(await fired(id)).toEqual(['2026-11-28 02:00 r50-1', '2026-11-28 09:12 r80-1', '2026-11-28 14:00 due-1', '2026-11-28 14:00 esc_head-1']);
  });

  it('sends nothing more once an inquiry is answered, whether or not its jobs were cleared', async () => {
    clock.set(at('2026-11-23 10:00'));
    const [kept, synced] = [await ask('2026-11-23 10:00'), await ask('2026-11-23 10:00')];
    await advanceTo('2026-11-24 15:00');
    await t.db.updateTable('inquiries').set({ status: 'answered' }).where('id', 'in', [kept, synced]).execute();
    await scheduler.sync([synced]);
    expect(await jobsOf(synced)).toEqual([]);
    expect(await jobsOf(kept)).toEqual([`deadline-${kept} r80-1 2026-11-25 11:00`]);
    await advanceTo('2026-12-02 12:00');
    expect(await fired(kept)).toEqual(['2026-11-24 14:30 r50-1']);
    expect(await fired(synced)).toEqual(['2026-11-24 14:30 r50-1']);
    expect(await jobsOf(kept)).toEqual([]);
  });

  it('moves every pending job when the deadline is extended', async () => {
    clock.set(at('2026-11-23 10:00'));
    const id = await ask('2026-11-23 10:00');
    await advanceTo('2026-11-24 15:00');
    const newDue = at('2026-11-28 00:00'); // 24:00 Friday instead of Wednesday
    await t.db.updateTable('inquiries').set({ due_at: newDue.toISOString(), deadline_seq: 2 }).where('id', '=', id).execute();
    await scheduler.sync([id]);
    expect(await jobsOf(id)).toEqual([`deadline-${id} r50-2 2026-11-25 14:30`]);
    await advanceTo('2026-11-30 07:45');
    expect(await fired(id)).toEqual([
      '2026-11-24 14:30 r50-1', '2026-11-25 14:30 r50-2', '2026-11-27 08:00 r80-2', '2026-11-30 07:30 due-2', '2026-11-30 07:30 esc_head-2',
    ]);
  });

  it('restores every job after Redis loses its data, catches up what was missed and sends nothing twice', async () => {
    clock.set(at('2026-11-23 10:00'));
    const id = await ask('2026-11-23 10:00');
    await advanceTo('2026-11-25 12:00'); // r50 and r80 sent
    const before = await jobsOf(id);
    await scheduler.close();
    await deletePrefix(prefix);
    scheduler = newScheduler();
    await scheduler.start();
    expect(await jobsOf(id)).toEqual([]);
    expect(await scheduler.reconcile()).toBeGreaterThanOrEqual(1);
    expect(await jobsOf(id)).toEqual(before);

    await scheduler.close();
    await deletePrefix(prefix);
    clock.set(at('2026-11-26 09:00')); // due and head rung passed while nothing was scheduled
    scheduler = newScheduler();
    await scheduler.start();
    await scheduler.reconcile();
    await settle();
    await advanceTo('2026-11-26 09:30');
    expect(await fired(id)).toEqual(['2026-11-24 14:30 r50-1', '2026-11-25 11:00 r80-1', '2026-11-26 09:00 due-1', '2026-11-26 09:00 esc_head-1']);
    expect(await inbox('u-sp', id)).toHaveLength(3);
    expect(await t.db.transaction().execute((tx) => fireDeadlineStep(tx, id, 'r80-1', clock.now(), 'vi'))).toEqual([]);
  });

  it('keeps no jobs while the clock is paused, and reminds the coordinating office while in screening', async () => {
    clock.set(at('2026-11-23 10:00'));
    const paused = await ask('2026-11-23 10:00');
    await t.db.updateTable('inquiries').set({ status: 'clarifying', paused_at: clock.now().toISOString(), deadline_seq: 2 }).where('id', '=', paused).execute();
    await scheduler.sync([paused]);
    expect(await jobsOf(paused)).toEqual([]);
    const screened = await ask('2026-11-23 10:00', 'routine', 'screening');
    await advanceTo('2026-11-24 15:00');
    expect(await fired(paused)).toEqual([]);
    const toCoordinator = await inbox('u-co', screened);
    expect(toCoordinator).toHaveLength(1);
    expect(toCoordinator[0]!.buttons).toBeNull();
    expect(toCoordinator[0]!.text).toMatch(/^Kính gửi Bộ phận đầu mối điều phối: câu hỏi Q-\d+ của báo chí còn 1 ngày/);
    expect(await inbox('u-sp', screened)).toEqual([]);
  });
});
