import { describe, expect, it } from 'vitest';
import { DEADLINE_CLASSES, type DeadlineOverride } from '../../db/schema.js';
import { pickOverride, ruleFromOverride, RULES, selectRule } from '../../src/time/rules.js';

/** 23:59:59 on 30 June 2026 and 00:00 on 1 July 2026 in Asia/Ho_Chi_Minh (UTC+7). */
const LAST_2017 = new Date('2026-06-30T16:59:59.999Z');
const FIRST_2026 = new Date('2026-06-30T17:00:00.000Z');

function override(id: number, orgId: number, extra: Partial<DeadlineOverride> = {}): DeadlineOverride {
  return {
    id, org_id: orgId, deadline_class: 'routine', amount: 3, unit: 'working_days', legal_basis: `Quy chế phát ngôn ${id}`,
    valid_from: null, valid_to: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', ...extra,
  };
}

describe('deadline rules', () => {
  it('chooses the regime by the local date of receipt, switching at 00:00 on 1 July 2026 in Vietnam', () => {
    for (const cls of DEADLINE_CLASSES) {
      expect(selectRule(LAST_2017, cls).id).toBe(`2017.${cls}`);
      expect(selectRule(FIRST_2026, cls).id).toBe(`2026.${cls}`);
    }
  });

  it('holds the periods of rules.md, counting hours on the wall clock and days in working time', () => {
    const table = Object.fromEntries(RULES.map((r) => [r.id, `${r.amount} ${r.unit}${r.policy ? ' policy' : ''}`]));
    expect(table).toEqual({
      '2017.incident': '24 hours', '2017.public_opinion': '24 hours policy', '2017.routine': '2 working_days policy',
      '2017.forwarded_petition': '30 days', '2017.complaint_conclusion': '30 days', '2017.press_answer': '30 days',
      '2026.incident': '24 hours', '2026.public_opinion': '24 hours', '2026.routine': '2 working_days policy',
      '2026.forwarded_petition': '15 working_days', '2026.complaint_conclusion': '5 working_days', '2026.press_answer': '30 days',
    });
    for (const r of RULES) expect(r.counting).toBe(r.unit === 'hours' ? 'wall' : 'working');
  });

  it('cites the article in Vietnamese', () => {
    expect(selectRule(FIRST_2026, 'incident').legalBasis).toBe('Nghị định 244/2026/NĐ-CP, Điều 7(3)');
    expect(selectRule(FIRST_2026, 'public_opinion').legalBasis).toBe('Nghị định 244/2026/NĐ-CP, Điều 7(4)');
    expect(selectRule(FIRST_2026, 'complaint_conclusion').legalBasis).toContain('Nghị định 237/2026/NĐ-CP, Điều 18(2)');
    expect(selectRule(LAST_2017, 'incident').legalBasis).toContain('Nghị định 09/2017/NĐ-CP');
    expect(selectRule(LAST_2017, 'press_answer').legalBasis).toContain('Luật Báo chí 2016');
  });

  it('gives a receipt older than every regime the oldest one', () => {
    expect(selectRule(new Date('2015-03-01T00:00:00Z'), 'routine').id).toBe('2017.routine');
  });

  it('prefers the nearest organisation with an override in force on the day of receipt', () => {
    const byOrg = new Map([
      [1, [override(10, 1)]],
      [2, [override(20, 2, { valid_to: '2026-06-30' }), override(21, 2, { valid_from: '2026-12-01' })]],
    ]);
    expect(pickOverride(byOrg, [3, 2, 1], '2026-06-30')?.id).toBe(20);
    expect(pickOverride(byOrg, [3, 2, 1], '2026-07-01')?.id).toBe(10);
    expect(pickOverride(byOrg, [3, 2, 1], '2026-12-01')?.id).toBe(21);
    expect(pickOverride(byOrg, [4], '2026-12-01')).toBeUndefined();
  });

  it('turns an override into a rule of the regime it replaces', () => {
    const rule = ruleFromOverride(override(7, 1, { amount: 12, unit: 'hours' }), selectRule(FIRST_2026, 'routine'));
    expect(rule).toMatchObject({ id: 'override.7', regime: '2026', amount: 12, unit: 'hours', counting: 'wall', legalBasis: 'Quy chế phát ngôn 7', policy: true });
  });
});
