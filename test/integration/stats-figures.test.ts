import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOrgEntries, type FigureFilter } from '../../db/repositories/stats-figures.js';
import { hasDirtyDays, rollupVersion } from '../../db/repositories/stats-rollup.js';
import type { RoleAssignment } from '../../db/schema.js';
import { percentile } from '../../flows/stats/measures.js';
import { reportingYear } from '../../flows/stats/periods.js';
import { agencyIds, statsScope } from '../../flows/stats/scope.js';
import { createFigures, type Figures } from '../../src/dashboard/figures.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { DATASET_NOW, seedStatsDataset, vn, type SeededDataset } from '../helpers/stats-dataset.js';

const YEAR = reportingYear(2026);

describe.each(testDialects())('figures from the hand-built data set on %s', (dialect) => {
  let t: TestDb;
  let data: SeededDataset;
  let clock: ManualClock;
  let figures: Figures;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    data = await seedStatsDataset(t.db);
    clock = createManualClock(DATASET_NOW);
    figures = createFigures({ db: t.db, loadCalendar: () => loadCalendar(t.db), now: () => clock.now() });
    const refreshed = await figures.refresh();
    // A1, A2, A3, A4, A5, A6, B1, B2 have a first response; the rest do not.
    expect(refreshed.measured).toBe(8);
    expect(await hasDirtyDays(t.db)).toBe(false);
  });
  afterEach(async () => { await t.drop(); });

  const all = { orgIds: null };

  it('measures first responses in office hours, to the minute', async () => {
    const minutes = await t.db.selectFrom('inquiries').select(['id', 'first_response_office_min']).where('first_response_office_min', 'is not', null).execute();
    const byLabel = new Map([...data.ids].map(([label, id]) => [label, minutes.find((m) => m.id === id)?.first_response_office_min]));
    // A1 Mon 08:00→09:30; A2 Mon 10:00→Fri 10:00 (90 + 210 + 3 × 450 + 150); A3 Wed 14:00→Thu 09:00 (180 + 90);
    // A4 Mon 09:00→11:00; A5 Mon 10:00→Tue 06:00 (90 + 210, the night is not office time); A6 Mon 09:00→10:00.
    expect(Object.fromEntries(['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map((l) => [l, byLabel.get(l)]))).toEqual({ A1: 90, A2: 1800, A3: 270, A4: 120, A5: 300, A6: 60 });
  });

  it('gives the cohort and one-stop figures of the reporting year', async () => {
    const { cohort, oneStop, asOf } = await figures.summary({ range: YEAR, filter: all });
    expect(asOf).toBe(DATASET_NOW);
    // Received in the year and counted (W1, M1, R1 are not): A1–A9 and A11.
    expect(cohort).toMatchObject({
      received: 10, replied: 5, onTime: 4, onTimeWithoutExtension: 3, extended: 1,
      declined: { secret: 1, investigation: 0, unresolved: 0, draft_policy: 0 },
      ratings: { satisfied: 1, acceptable: 1, unsatisfied: 1 }, followups: 3, followupsPerInquiry: 0.3,
    });
    // 60, 90, 120, 270, 300, 1800 minutes: median between 120 and 270, p90 between 300 and 1800.
    expect(cohort.firstResponse).toEqual({ count: 6, medianMin: 195, p90Min: 1050 });
    expect(oneStop).toMatchObject({
      received: 10, carriedOver: 2, toHandle: 12,
      closed: { total: 6, onTime: 4, late: 2, onTimeWithoutExtension: 3, lateWithoutExtension: 3 },
      open: { total: 6, late: 2, dueSoon: 1, notYetDue: 3, lateWithoutExtension: 2 },
    });
    expect(oneStop.lateRate).toBeCloseTo(4 / 12, 10);
    expect(oneStop.onTimeRate).toBeCloseTo(8 / 12, 10);
    expect(oneStop.lateRateWithoutExtension).toBeCloseTo(5 / 12, 10);
  });

  it('gives a league table per agency, and filters by topic and class', async () => {
    const orgs = new Map((await listOrgEntries(t.db)).map((o) => [o.id, o.code]));
    const league = Object.fromEntries((await figures.league({ range: YEAR, filter: all })).map((r) => [orgs.get(r.orgId), r]));
    expect(Object.keys(league).sort()).toEqual(['CA', 'STC', 'SYT']);
    expect(league.SYT?.cohort).toMatchObject({ received: 4, replied: 3, onTime: 3, onTimeWithoutExtension: 2 });
    expect(league.SYT?.oneStop).toMatchObject({ carriedOver: 1, toHandle: 5, closed: { total: 4, late: 1 }, open: { total: 1, late: 0, notYetDue: 1 }, lateRate: 0.2 });
    expect(league.STC?.oneStop).toMatchObject({ received: 2, carriedOver: 1, toHandle: 3, closed: { total: 2, late: 1 }, open: { total: 1, late: 1 } });
    expect(league.CA?.oneStop).toMatchObject({ received: 4, carriedOver: 0, closed: { total: 0 }, open: { total: 4, late: 1, dueSoon: 1, notYetDue: 2 }, lateRate: 0.25 });
    const health = await figures.summary({ range: YEAR, filter: { orgIds: null, topicIds: [data.net.healthTopicId] } });
    expect(health.cohort.received).toBe(4);
    const urgent = await figures.summary({ range: YEAR, filter: { orgIds: null, classes: ['incident', 'public_opinion'] } });
    expect(urgent.cohort).toMatchObject({ received: 2, replied: 1, onTimeWithoutExtension: 1 });
  });

  it('gives each agency\'s first-response median and p90 in the league table, kept up to date by the refresh', async () => {
    const orgs = new Map((await listOrgEntries(t.db)).map((o) => [o.id, o.code]));
    const quantiles = async (range = YEAR, filter: FigureFilter = all): Promise<Record<string, Array<number | null>>> => Object.fromEntries((await figures.league({ range, filter }))
      .map((r) => [orgs.get(r.orgId), [r.cohort.firstResponse.medianMin, r.cohort.firstResponse.p90Min]]));
    // SYT: 90, 270, 1800 (a whole-hour bucket) → median 270, p90 270 + 0.8 × 1530; STC: 120, 300; CA: 60.
    const year = { SYT: [270, 1494], STC: [210, 282], CA: [60, 60] };
    expect(await quantiles()).toEqual(year);
    // The same as each agency's own summary (one histogram, whichever sums it is read from).
    for (const [code, id] of [['SYT', data.net.healthId], ['STC', data.net.financeId], ['CA', data.net.policeId]] as const) {
      const own = await figures.summary({ range: YEAR, filter: { orgIds: [id] } });
      expect([own.cohort.firstResponse.medianMin, own.cohort.firstResponse.p90Min]).toEqual(year[code]);
    }
    // Loose days (2 March – 1 April: daily rows only) give the same for SYT.
    expect((await quantiles({ from: '2026-03-02', to: '2026-04-01' }, all)).SYT).toEqual([270, 1494]);
    // Under a class filter, from the finer sums: STC's incident (A5, 300) is left out.
    expect(await quantiles(YEAR, { orgIds: null, classes: ['routine'] })).toMatchObject({ SYT: [270, 1494], STC: [120, 120], CA: [null, null] });
    // A first response recorded later (A7: Wed 15:00 → Thu 09:00, 120 + 90 office minutes) moves CA's after the refresh.
    await t.db.updateTable('inquiries').set({ status: 'answered', first_response_at: vn('2026-12-03 09:00'), closed_at: vn('2026-12-03 09:00'), answered_at: vn('2026-12-03 09:00') })
      .where('id', '=', data.ids.get('A7')!).execute();
    await figures.refresh();
    expect((await quantiles()).CA).toEqual([135, 195]);
  });

  it('lists the overdue worst first (a paused inquiry is not late), the weeks and the busiest topics', async () => {
    const overdue = await figures.overdue(all, 50);
    expect(overdue.map((r) => r.id)).toEqual([data.ids.get('B3'), data.ids.get('A6')]);
    expect(overdue[1]).toMatchObject({ agency: 'Công an thành phố', topic: 'An ninh trật tự', deadline_class: 'public_opinion' });
    const weeks = await figures.trends({ range: YEAR, filter: all });
    expect(weeks[0]).toEqual({ week: '2025-12-15', received: 0, replied: 1, onTime: 0, onTimeRate: 0 });
    expect(weeks.at(-1)?.week).toBe('2026-12-14');
    expect(weeks.find((w) => w.week === '2026-03-02')).toEqual({ week: '2026-03-02', received: 2, replied: 2, onTime: 2, onTimeRate: 1 });
    expect(weeks.find((w) => w.week === '2026-11-30')).toMatchObject({ received: 4, replied: 0, onTimeRate: null });
    expect(weeks.reduce((s, w) => s + w.received, 0)).toBe(10);
    const topics = await figures.topics({ range: YEAR, filter: all }, 10);
    expect(topics).toEqual([
      { topicId: data.net.healthTopicId, received: 4, replied: 3, onTime: 3 },
      { topicId: data.net.securityTopicId, received: 4, replied: 0, onTime: 0 },
      { topicId: 0, received: 2, replied: 2, onTime: 1 },
    ]);
  });

  it('follows every later change: a reply, a transfer, a withdrawal (triggers mark the days)', async () => {
    const version = await rollupVersion(t.db);
    clock.set('2026-12-04T04:00:00.000Z');
    await t.db.updateTable('inquiries').set({ status: 'answered', closed_at: clock.now().toISOString(), answered_at: clock.now().toISOString() }).where('id', '=', data.ids.get('A6')!).execute();
    await t.db.updateTable('inquiries').set({ org_id: data.net.healthId }).where('id', '=', data.ids.get('A8')!).execute();
    await t.db.updateTable('inquiries').set({ status: 'withdrawn', closed_at: clock.now().toISOString() }).where('id', '=', data.ids.get('A7')!).execute();
    expect(await hasDirtyDays(t.db)).toBe(true);
    await figures.refresh();
    expect(await rollupVersion(t.db)).toBeGreaterThan(version);
    const { cohort, oneStop } = await figures.summary({ range: YEAR, filter: all });
    expect(cohort).toMatchObject({ received: 9, replied: 6, onTime: 4 });
    expect(oneStop).toMatchObject({ toHandle: 11, closed: { total: 7, late: 3 }, open: { total: 4, late: 1, dueSoon: 0 } });
    const orgs = new Map((await listOrgEntries(t.db)).map((o) => [o.id, o.code]));
    const league = Object.fromEntries((await figures.league({ range: YEAR, filter: all })).map((r) => [orgs.get(r.orgId), r.cohort.received]));
    expect(league).toEqual({ SYT: 5, STC: 2, CA: 2 });
  });

  it('scopes figures: a coordinator of one agency sees it alone, and a focus outside is refused', async () => {
    const orgs = await listOrgEntries(t.db);
    const role = (r: Partial<RoleAssignment>): RoleAssignment => ({
      id: 1, person_id: 1, role: 'coordinator', kind: null, org_id: null, status: 'active', case_inquiry_id: null,
      valid_from: null, valid_to: null, created_at: vn('2026-01-01 00:00'), updated_at: vn('2026-01-01 00:00'), ...r,
    });
    const police = statsScope([role({ org_id: data.net.policeId })]);
    expect(agencyIds(police, orgs)).toEqual([data.net.policeId]);
    expect(agencyIds(police, orgs, data.net.healthId)).toBeUndefined();
    expect(agencyIds(statsScope([role({ role: 'spokesperson', kind: 'regular', org_id: data.net.healthId })]), orgs)).toBeUndefined();
    expect(agencyIds(statsScope([role({ role: 'spokesperson', kind: 'head', org_id: data.net.healthId })]), orgs)).toEqual([data.net.healthId]);
    expect(agencyIds(statsScope([role({ role: 'leader' })]), orgs)).toBeNull();
    expect(agencyIds(statsScope([role({ role: 'reporter' }), role({ role: 'contact' })]), orgs)).toBeUndefined();
    const city = agencyIds(statsScope([role({ role: 'leader', org_id: data.net.cityId })]), orgs, data.net.healthId);
    expect(city).toEqual([data.net.healthId]);
    const mine = await figures.summary({ range: YEAR, filter: { orgIds: agencyIds(police, orgs)! } });
    expect(mine.cohort.received).toBe(4);
  });
});

describe('percentile over a histogram', () => {
  it('interpolates between the nearest ranks, as percentile_cont', () => {
    expect(percentile(new Map([[0, 1], [3600, 1]]), 0.5)).toBe(1800);
    expect(percentile(new Map([[10, 3]]), 0.9)).toBe(10);
    expect(percentile(new Map([[1, 1], [2, 1], [3, 1], [4, 1]]), 0.9)).toBeCloseTo(3.7, 10);
    expect(percentile(new Map(), 0.5)).toBeNull();
  });
});
