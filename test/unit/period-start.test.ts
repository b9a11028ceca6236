import { describe, expect, it } from 'vitest';
import { formatLocalDate, parseLocalDate } from '../../flows/copy/format.js';
import { periodStart, RULES, selectRule } from '../../src/time/rules.js';

const RECEIVED = new Date('2026-11-16T01:00:00.000Z'); // Mon 16 Nov, 08:00 in Vietnam
const REOPENED = new Date('2026-11-23T04:00:00.000Z'); // Mon 23 Nov, 11:00

describe('what a period counts from', () => {
  const conclusion = selectRule(RECEIVED, 'complaint_conclusion');
  const routine = selectRule(RECEIVED, 'routine');

  it('counts from receipt, or from the follow-up that reopened the inquiry', () => {
    expect(periodStart(routine, RECEIVED)).toEqual({ fromAt: RECEIVED, awaitsConclusion: false });
    expect(periodStart(routine, RECEIVED, REOPENED)).toEqual({ fromAt: REOPENED, awaitsConclusion: false });
    expect(periodStart(routine, RECEIVED, null, '2026-11-20').fromAt).toEqual(RECEIVED); // a conclusion date means nothing here
  });

  it('counts a complaint\'s conclusion (2026) from 00:00 of its date, and from receipt until it is entered', () => {
    expect(conclusion.countsFrom).toBe('conclusion');
    expect(periodStart(conclusion, RECEIVED)).toEqual({ fromAt: RECEIVED, awaitsConclusion: true });
    expect(periodStart(conclusion, RECEIVED, null, '2026-11-10')).toEqual({ fromAt: new Date('2026-11-09T17:00:00.000Z'), awaitsConclusion: false });
    // The later of the conclusion and the reopening follow-up starts the period.
    expect(periodStart(conclusion, RECEIVED, REOPENED, '2026-11-20').fromAt).toEqual(REOPENED);
    expect(periodStart(conclusion, RECEIVED, REOPENED, '2026-11-24').fromAt).toEqual(new Date('2026-11-23T17:00:00.000Z'));
  });

  it('counts a complaint\'s conclusion under the 2017 regime as a forwarded petition, from receipt', () => {
    const old = selectRule(new Date('2026-06-01T01:00:00.000Z'), 'complaint_conclusion');
    expect(old.countsFrom).toBeUndefined();
    expect(RULES.filter((r) => r.countsFrom === 'conclusion').map((r) => r.id)).toEqual(['2026.complaint_conclusion']);
  });
});

describe('dates typed as day/month/year', () => {
  it('reads real dates in several spellings', () => {
    expect(parseLocalDate('20/11/2026')).toBe('2026-11-20');
    expect(parseLocalDate(' 1-2-2026 ')).toBe('2026-02-01');
    expect(parseLocalDate('29.02.2028')).toBe('2028-02-29');
    expect(formatLocalDate('2026-02-01')).toBe('01/02/2026');
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['31/02/2026', '29/02/2027', '2026-11-20', '20/11/26', '20/13/2026', '00/11/2026', 'hôm qua', '']) {
      expect(parseLocalDate(bad), bad).toBeUndefined();
    }
  });
});
