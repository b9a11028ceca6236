import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDaysAt, defaultDeadlineSettings, nextOverdueNudge, planDeadlineSteps, selectStepsToSchedule, type PlanInquiry,
} from '../../src/scheduler/deadlines/index.js';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { atLocalTime } from '../../src/time/local.js';
import { DEFAULT_OFFICE_HOURS, isOfficeTime } from '../../src/time/office-hours.js';
import { computeDue } from '../../src/time/periods.js';

const cal = createWorkCalendar({ official: [], officialYears: [] });
const settings = defaultDeadlineSettings();

/** Local wall time in Vietnam: `at('2026-11-23 10:00')`. */
function at(text: string): Date {
  const [date, time] = text.split(' ');
  return atLocalTime(date!, time!);
}

/** A Vietnamese local `YYYY-MM-DD HH:mm` of an instant, for readable expectations. */
function local(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function inquiry(received: Date, hours: number | undefined, extra: Partial<PlanInquiry> = {}): PlanInquiry {
  const due = hours === undefined ? computeDue(received, 2, 'working_days', cal) : new Date(received.getTime() + hours * 3_600_000);
  return {
    status: 'assigned', received_at: received.toISOString(), due_at: due.toISOString(),
    deadline_counting: hours === undefined ? 'working' : 'wall', paused_at: null, deadline_seq: 3, ...extra,
  };
}

function plan(i: PlanInquiry, now: Date) {
  return planDeadlineSteps(i, cal, DEFAULT_OFFICE_HOURS, settings, now).map((s) => `${s.step} ${local(s.fireAt)}`);
}

describe('planning deadline steps', () => {
  it('plans a routine question in office hours: percent reminders in business time, the ladder a working day apart', () => {
    const received = at('2026-11-23 10:00'); // Monday; counting starts Tuesday, due at 24:00 Wednesday
    expect(plan(inquiry(received, undefined), received)).toEqual([
      'r50-3 2026-11-24 14:30', 'r80-3 2026-11-25 11:00', 'due-3 2026-11-26 07:30', 'esc_head-3 2026-11-26 07:30',
      'esc_coord-3 2026-11-27 07:30', 'od20261127-3 2026-11-27 08:00', 'esc_leader-3 2026-11-30 07:30',
    ]);
  });

  it('plans a 24-hour incident on the wall clock, night and weekend included', () => {
    const received = at('2026-11-27 14:00'); // Friday
    expect(plan(inquiry(received, 24), received)).toEqual([
      'r50-3 2026-11-28 02:00', 'r80-3 2026-11-28 09:12', 'due-3 2026-11-28 14:00', 'esc_head-3 2026-11-28 14:00',
      'od20261130-3 2026-11-30 08:00', 'esc_coord-3 2026-11-30 14:00', 'esc_leader-3 2026-12-01 14:00',
    ]);
  });

  it('follows configured percents and ladder', () => {
    const received = at('2026-11-27 14:00');
    const steps = planDeadlineSteps(inquiry(received, 24), cal, DEFAULT_OFFICE_HOURS, { reminderPercents: [90], overdueNudgeTime: '09:30', ladder: ['coordinator'] }, received);
    expect(steps.map((s) => `${s.step} ${local(s.fireAt)}`)).toEqual([
      'r90-3 2026-11-28 11:36', 'due-3 2026-11-28 14:00', 'esc_coord-3 2026-11-28 14:00', 'od20261130-3 2026-11-30 09:30',
    ]);
  });

  it('plans nothing while the clock does not run', () => {
    const received = at('2026-11-23 10:00');
    for (const extra of [{ status: 'answered' }, { status: 'clarifying' }, { paused_at: received.toISOString() }, { due_at: null }]) {
      expect(plan(inquiry(received, 24, extra), received)).toEqual([]);
    }
  });

  it('never reminds a working-time deadline outside office hours, at weekends or on holidays', () => {
    const start = at('2026-01-01 00:00').getTime();
    const year = 365 * 86_400_000;
    fc.assert(fc.property(fc.integer({ min: 0, max: year }), fc.integer({ min: 1, max: 15 }), (offset, days) => {
      const received = new Date(start + offset);
      const i = { ...inquiry(received, undefined), due_at: computeDue(received, days, 'working_days', cal).toISOString() };
      for (const s of planDeadlineSteps(i, cal, DEFAULT_OFFICE_HOURS, settings, received)) {
        expect(isOfficeTime(s.fireAt, cal, DEFAULT_OFFICE_HOURS), `${s.step} at ${local(s.fireAt)}`).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it('moves a reminder that falls in a holiday to the next office time', () => {
    const received = at('2026-08-28 16:00'); // Friday before the National Day break (1–2 Sep)
    const steps = plan(inquiry(received, undefined), received);
    // Working days: Mon 31 Aug, then Thu 3 Sep (1–2 Sep are holidays); 16 office hours in all.
    expect(steps.slice(0, 3)).toEqual(['r50-3 2026-08-31 16:30', 'r80-3 2026-09-03 13:48', 'due-3 2026-09-04 07:30']);
  });
});

describe('choosing which steps get a job', () => {
  const received = at('2026-11-23 10:00');
  const steps = planDeadlineSteps(inquiry(received, undefined), cal, DEFAULT_OFFICE_HOURS, settings, received);

  it('keeps every future step', () => {
    expect(selectStepsToSchedule(steps, new Set(), received)).toEqual(steps);
  });

  it('catches up only the latest missed reminder, and every missed escalation', () => {
    const now = at('2026-11-27 07:45'); // after due, head and coordinator rungs
    const fresh = planDeadlineSteps(inquiry(received, undefined), cal, DEFAULT_OFFICE_HOURS, settings, now);
    expect(selectStepsToSchedule(fresh, new Set(), now).map((s) => s.step)).toEqual(['due-3', 'esc_head-3', 'esc_coord-3', 'od20261127-3', 'esc_leader-3']);
  });

  it('never re-fires a missed step whose kind already fired, under any deadline sequence', () => {
    const now = at('2026-11-27 07:45');
    const fresh = planDeadlineSteps(inquiry(received, undefined), cal, DEFAULT_OFFICE_HOURS, settings, now);
    const fired = new Set(['r50-1', 'r80-1', 'due-2', 'esc_head-2']);
    expect(selectStepsToSchedule(fresh, fired, now).map((s) => s.step)).toEqual(['esc_coord-3', 'od20261127-3', 'esc_leader-3']);
  });

  it('does not catch up an earlier reminder once a later one was sent', () => {
    const now = at('2026-11-24 15:00'); // r50 (14:30) is past, r80 to come
    const fresh = planDeadlineSteps(inquiry(received, undefined), cal, DEFAULT_OFFICE_HOURS, settings, now);
    expect(selectStepsToSchedule(fresh, new Set(['r80-2']), now).map((s) => s.step)[0]).toBe('r80-3');
    expect(selectStepsToSchedule(fresh, new Set(), now).map((s) => s.step)[0]).toBe('r50-3');
  });
});

describe('working-day arithmetic of the ladder and nudges', () => {
  it('treats a 24:00 due time as the end of its day', () => {
    // 24:00 on Friday 27 Nov + 1 working day = 24:00 on Monday 30 Nov.
    expect(local(addWorkingDaysAt(at('2026-11-28 00:00'), 1, cal))).toBe('2026-12-01 00:00');
    expect(local(addWorkingDaysAt(at('2026-11-27 15:00'), 1, cal))).toBe('2026-11-30 15:00');
  });

  it('plans the next nudge on a working day, never in the past', () => {
    expect(local(nextOverdueNudge('2026-11-27', cal, settings, at('2026-11-27 09:00')).at)).toBe('2026-11-30 08:00');
    expect(local(nextOverdueNudge('2026-11-20', cal, settings, at('2026-11-25 07:00')).at)).toBe('2026-11-25 08:00');
    expect(local(nextOverdueNudge('2026-11-20', cal, settings, at('2026-11-25 08:00')).at)).toBe('2026-11-26 08:00');
    expect(local(nextOverdueNudge('2026-08-31', cal, settings, at('2026-08-31 09:00')).at)).toBe('2026-09-03 08:00');
  });
});
