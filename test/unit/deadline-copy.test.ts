import { describe, expect, it } from 'vitest';
import { deadlineEn } from '../../flows/copy/deadline-en.js';
import type { DeadlineView } from '../../flows/copy/deadline-types.js';
import { deadlineVi } from '../../flows/copy/deadline-vi.js';
import { deadlineCopyFor } from '../../flows/deadline/copy.js';
import { jobKindOf, parseStep, stepName } from '../../flows/deadline/steps.js';

const HOUR = 3_600_000;
const view = (lateMs: number): DeadlineView => ({
  code: 'Q-42', question: 'Bệnh viện tỉnh có đủ thuốc điều trị sốt xuất huyết không?', orgName: 'Sở Y tế',
  dueAt: '2026-11-26T17:00:00.000Z', lateMs, assignee: 'Lê Văn Y Tế',
});

describe('deadline copy', () => {
  it('says the code, the question, the agency, the due time and how late it is, in both languages', () => {
    for (const d of [deadlineVi, deadlineEn]) {
      for (const text of [d.reminder(view(-5 * HOUR), 50), d.reminder(view(0), 100), d.overdue(view(26 * HOUR)), d.escalation(view(26 * HOUR), 'coordinator')]) {
        expect(text).toContain('Q-42');
        expect(text).toContain('sốt xuất huyết');
        expect(text).toContain('Sở Y tế');
        expect(text).toContain(d === deadlineEn ? 'end of Thursday 26/11/2026' : 'hết ngày 26/11/2026 (thứ Năm)');
        expect(text).not.toContain('27/11/2026');
      }
    }
    expect(deadlineVi.reminder(view(-5 * HOUR), 80)).toContain('đã dùng 80% thời gian trả lời theo quy định; còn 5 giờ');
    expect(deadlineVi.overdue(view(26 * HOUR))).toContain('đã quá hạn 1 ngày 2 giờ');
    expect(deadlineVi.escalation(view(26 * HOUR), 'head')).toMatch(/^Kính báo cáo đồng chí Thủ trưởng cơ quan.*Lê Văn Y Tế/s);
    expect(deadlineEn.escalation(view(26 * HOUR), 'leader')).toMatch(/^To the network leader: press inquiry Q-42 is 1 day 2 hours overdue \(due end of Thursday 26\/11\/2026\)/);
    expect(deadlineEn.reminder(view(-90 * 60_000), 50)).toContain('it has 1 hour 30 minutes left');
  });

  it('writes durations with the two largest units', () => {
    expect(deadlineVi.duration(3 * 86_400_000 + 4 * HOUR + 5 * 60_000)).toBe('3 ngày 4 giờ');
    expect(deadlineEn.duration(HOUR + 60_000)).toBe('1 hour 1 minute');
    expect(deadlineEn.duration(2 * 86_400_000 + 7 * 60_000)).toBe('2 days');
    expect(deadlineVi.duration(30_000)).toBe('chưa đến 1 phút');
  });

  it('picks the copy by locale tag', () => {
    expect(deadlineCopyFor('en-US')).toBe(deadlineEn);
    expect(deadlineCopyFor('vi')).toBe(deadlineVi);
    expect(deadlineCopyFor(null)).toBe(deadlineVi);
  });
});

describe('deadline step names', () => {
  it('parses what it builds, and nothing else', () => {
    expect(parseStep(stepName('r50', 3))).toEqual({ kind: 'r50', seq: 3, category: 'remind', percent: 50 });
    expect(parseStep('due-1')).toMatchObject({ category: 'remind', percent: 100 });
    expect(parseStep('esc_coord-2')).toMatchObject({ category: 'escalate', rung: 'coordinator' });
    expect(parseStep('od20261124-2')).toMatchObject({ category: 'overdue', date: '2026-11-24' });
    for (const bad of ['r50', 'esc_boss-1', 'x-1', 'r100-1', 'due-1-2', 'od2026-1']) expect(parseStep(bad)).toBeUndefined();
    expect(jobKindOf('od20261124')).toBe('od');
    expect(jobKindOf('r80')).toBe('r80');
  });
});
