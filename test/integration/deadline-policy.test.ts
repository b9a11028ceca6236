import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadlinePolicy } from '../../flows/deadlines.js';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { atLocalTime } from '../../src/time/local.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';

const cal = createWorkCalendar({ official: [], officialYears: [] });
const at = (text: string) => atLocalTime(text.slice(0, 10), text.slice(11));
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const STAMP = '2026-01-01T00:00:00.000Z';

describe.each(testDialects())('deadline policy on %s', (dialect) => {
  let t: TestDb;
  let net: MiniNetwork;
  let policy: DeadlinePolicy;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    net = await seedMiniNetwork(t.db);
    policy = createDeadlinePolicy({ db: t.db, loadCalendar: () => cal });
    const override = (orgId: number, amount: number, basis: string, validFrom: string | null) => ({
      org_id: orgId, deadline_class: 'routine' as const, amount, unit: 'working_days' as const, legal_basis: basis,
      valid_from: validFrom, valid_to: null, created_at: STAMP, updated_at: STAMP,
    });
    await t.db.insertInto('deadline_overrides').values([
      override(net.cityId, 3, 'Quy chế phát ngôn của UBND thành phố Huế, Điều 5', null),
      override(net.healthId, 1, 'Quy chế phát ngôn của Sở Y tế, Điều 4', '2026-12-01'),
    ]).execute();
    await t.db.updateTable('orgs').set({ office_hours: '[{"start":"08:00","end":"12:00"}]' }).where('id', '=', net.financeId).execute();
  });

  afterAll(async () => {
    await t?.drop();
  });

  it('gives the statutory rule of the regime in force at receipt', async () => {
    const before = await policy.assign({ receivedAt: at('2026-06-30 23:00'), deadlineClass: 'incident', orgId: null });
    expect(before).toMatchObject({ ruleId: '2017.incident', counting: 'wall', legalBasis: expect.stringContaining('09/2017') });
    expect(local(before.dueAt)).toBe('2026-07-01 23:00');
    const after = await policy.assign({ receivedAt: at('2026-07-01 09:00'), deadlineClass: 'forwarded_petition', orgId: null });
    expect(after).toMatchObject({ ruleId: '2026.forwarded_petition', counting: 'working', legalBasis: 'Nghị định 237/2026/NĐ-CP, Điều 18(3)' });
    expect(local(after.dueAt)).toBe('2026-07-23 00:00'); // 15 working days from Thu 2 Jul, ending at 24:00 Wed 22 Jul
  });

  it('applies the nearest organisation\'s own period in force on the day of receipt', async () => {
    const inherited = await policy.assign({ receivedAt: at('2026-11-23 10:00'), deadlineClass: 'routine', orgId: net.healthId });
    expect(inherited).toMatchObject({ ruleId: expect.stringMatching(/^override\./), legalBasis: 'Quy chế phát ngôn của UBND thành phố Huế, Điều 5' });
    expect(local(inherited.dueAt)).toBe('2026-11-27 00:00'); // 3 working days: Tue–Thu
    const own = await policy.assign({ receivedAt: at('2026-12-01 10:00'), deadlineClass: 'routine', orgId: net.healthId });
    expect(own.legalBasis).toBe('Quy chế phát ngôn của Sở Y tế, Điều 4');
    expect(local(own.dueAt)).toBe('2026-12-03 00:00');
    const incident = await policy.assign({ receivedAt: at('2026-12-01 10:00'), deadlineClass: 'incident', orgId: net.healthId });
    expect(incident.ruleId).toBe('2026.incident');
  });

  it('resumes a wall-clock deadline by the paused wall time', async () => {
    const due = await policy.resume({ dueAt: at('2026-11-24 10:00'), pausedAt: at('2026-11-23 20:00'), resumedAt: at('2026-11-24 02:30'), counting: 'wall', orgId: null });
    expect(local(due)).toBe('2026-11-24 16:30');
  });

  it('resumes a working-time deadline by the paused office time of the agency', async () => {
    const dueAt = at('2026-11-28 00:00'); // 24:00 Friday
    const pause = { pausedAt: at('2026-11-26 10:00'), resumedAt: at('2026-11-26 15:00'), counting: 'working' as const };
    // 10:00–11:30 and 13:30–15:00: 3 office hours, counted from Monday's opening.
    expect(local(await policy.resume({ ...pause, dueAt, orgId: net.healthId }))).toBe('2026-11-30 10:30');
    // The finance department works 08:00–12:00 only: 2 office hours.
    expect(local(await policy.resume({ ...pause, dueAt, orgId: net.financeId }))).toBe('2026-11-30 10:00');
    const overNight = { pausedAt: at('2026-11-27 18:00'), resumedAt: at('2026-11-30 07:00'), counting: 'working' as const };
    expect(await policy.resume({ ...overNight, dueAt, orgId: net.healthId })).toEqual(dueAt);
  });
});
