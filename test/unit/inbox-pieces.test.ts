import { describe, expect, it } from 'vitest';
import { searchText, searchWords } from '../../db/repositories/search-text.js';
import { dueStanding } from '../../src/inbox/due.js';
import { mostSimilar, similarity } from '../../flows/inquiry/similar.js';
import { titleOf } from '../../flows/inquiry/title.js';
import { createWorkCalendar } from '../../src/time/calendar.js';

// Tuesday 08/12/2026 is made a holiday here, to see it skipped.
const cal = createWorkCalendar({ official: [{ date: '2026-12-08', kind: 'holiday', name: 'thử', source: 'test' }], officialYears: [2026] });
// Monday 07/12/2026 10:00 in Huế.
const now = new Date('2026-12-07T03:00:00.000Z');
/** The instant that ends local day `date` (24:00 = the next midnight, UTC+7). */
const endOf = (date: string) => new Date(`${date}T00:00:00+07:00`).getTime() + 86_400_000;

describe('an inquiry\'s standing against its due time', () => {
  it('counts whole working days left after today, skipping weekends and holidays', () => {
    expect(dueStanding('assigned', new Date(endOf('2026-12-10')).toISOString(), now, cal)).toEqual({ kind: 'working_days', n: 2 }); // Wed, Thu (Tue off)
    expect(dueStanding('acknowledged', new Date(endOf('2026-12-14')).toISOString(), now, cal)).toEqual({ kind: 'working_days', n: 4 }); // Wed, Thu, Fri, Mon
  });
  it('says hours or minutes when the due time is today or within a day, and how long it is overdue', () => {
    expect(dueStanding('assigned', new Date(endOf('2026-12-07')).toISOString(), now, cal)).toEqual({ kind: 'hours', n: 14 });
    expect(dueStanding('assigned', '2026-12-07T03:20:00.000Z', now, cal)).toEqual({ kind: 'minutes', n: 20 });
    expect(dueStanding('assigned', '2026-12-07T00:00:00.000Z', now, cal)).toEqual({ kind: 'over_hours', n: 3 });
    expect(dueStanding('assigned', '2026-12-07T02:15:00.000Z', now, cal)).toEqual({ kind: 'over_minutes', n: 45 });
    expect(dueStanding('assigned', '2026-12-03T03:00:00.000Z', now, cal)).toEqual({ kind: 'over_days', n: 4 });
  });
  it('is paused while waiting for the reporter, and nothing once closed or without a due time', () => {
    expect(dueStanding('clarifying', '2026-12-07T00:00:00.000Z', now, cal)).toEqual({ kind: 'paused' });
    expect(dueStanding('answered', '2026-12-07T00:00:00.000Z', now, cal)).toEqual({ kind: 'none' });
    expect(dueStanding('screening', null, now, cal)).toEqual({ kind: 'none' });
  });
});

describe('titles, search text and similar questions', () => {
  it('cuts a title between words and never inside a letter with its tone mark or an emoji', () => {
    expect(titleOf('Lịch tiêm vắc-xin sởi cho trẻ thế nào?')).toBe('Lịch tiêm vắc-xin sởi cho trẻ thế nào?');
    const long = titleOf('Người dân ở phường Thuận Hóa hỏi về lịch tiêm vắc-xin sởi cho trẻ dưới năm tuổi trong tháng mười hai');
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long.endsWith('…')).toBe(true);
    expect(long).toBe('Người dân ở phường Thuận Hóa hỏi về lịch tiêm vắc-xin sởi…');
    // Decomposed tone marks (NFD) and a family emoji at the cut stay whole.
    const nfd = 'e\u0302\u0301'.repeat(30);
    expect(titleOf(nfd, 10)).toBe(`${'e\u0302\u0301'.repeat(3)}…`);
    expect(titleOf(`${'a'.repeat(8)}👨‍👩‍👧 rest of it`, 12)).toBe(`${'a'.repeat(8)}…`);
  });
  it('normalises Vietnamese for search: no diacritics, đ → d, punctuation as spaces, no LIKE wildcards', () => {
    expect(searchText('Tiêm VẮC-XIN ở Đông Hà')).toBe('tiem vac xin o dong ha');
    expect(searchWords('  tiem  vac_xin % 100% ')).toEqual(['tiem', 'vac', 'xin', '100']);
  });
  it('finds questions alike by their meaningful syllables', () => {
    expect(similarity('Lịch tiêm vắc-xin sởi cho trẻ thế nào?', 'Tiêm vắc xin sởi cho trẻ ở đâu?')).toBeGreaterThan(0.3);
    expect(similarity('Lịch tiêm vắc-xin sởi cho trẻ thế nào?', 'Tình hình an ninh đêm Giáng sinh?')).toBe(0);
    const found = mostSimilar('tiêm vắc-xin sởi cho trẻ', [{ id: 1, question: 'An ninh trật tự' }, { id: 2, question: 'Lịch tiêm vắc xin sởi cho trẻ em' }]);
    expect(found.map((f) => f.id)).toEqual([2]);
  });
});
