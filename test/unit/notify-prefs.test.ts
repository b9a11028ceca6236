import { describe, expect, it } from 'vitest';
import { decidePush, inQuietHours, parsePrefs, prefsFromRow, prefsToRow, quietEnd, DEFAULT_PREFS } from '../../src/push/prefs.js';
import { parseSubscription } from '../../adapters/web/push-routes.js';

/** The instant of local (Asia/Ho_Chi_Minh, UTC+7) time `hhmm` on 2026-12-07. */
const local = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00+07:00`);

describe('notification preferences', () => {
  it('quiet hours within a day and across midnight (start inclusive, end exclusive), in local time', () => {
    const day = { from: '12:00', to: '13:30' };
    expect(inQuietHours(day, local('12:00'))).toBe(true);
    expect(inQuietHours(day, local('13:29'))).toBe(true);
    expect(inQuietHours(day, local('13:30'))).toBe(false);
    expect(inQuietHours(day, local('11:59'))).toBe(false);
    const night = { from: '22:00', to: '06:30' };
    expect(inQuietHours(night, local('23:15'))).toBe(true);
    expect(inQuietHours(night, local('02:00'))).toBe(true);
    expect(inQuietHours(night, local('06:30'))).toBe(false);
    expect(inQuietHours(night, local('21:59'))).toBe(false);
    expect(inQuietHours(null, local('02:00'))).toBe(false);
  });

  it('a 24-hour deadline rings through quiet hours; an event or channel turned off never pushes', () => {
    const prefs = { ...DEFAULT_PREFS, quiet: { from: '22:00', to: '06:30' } };
    expect(decidePush(prefs, { kind: 'inquiry', urgent: 0 }, local('23:00'))).toBe('quiet');
    expect(decidePush(prefs, { kind: 'inquiry', urgent: 1 }, local('23:00'))).toBe('send');
    expect(decidePush(prefs, { kind: 'inquiry', urgent: 0 }, local('09:00'))).toBe('send');
    expect(decidePush({ ...prefs, events: ['reply'] }, { kind: 'inquiry', urgent: 1 }, local('09:00'))).toBe('off');
    expect(decidePush({ ...prefs, channel: 'chat' }, { kind: 'reply', urgent: 1 }, local('09:00'))).toBe('off');
  });

  it('the end of the quiet hours a held push waits for: the next local `to` after now (the same night or the next morning)', () => {
    const night = { from: '22:00', to: '06:30' };
    expect(quietEnd(night, local('23:15')).toISOString()).toBe('2026-12-07T23:30:00.000Z'); // 06:30 on 8 December, Huế time
    expect(quietEnd(night, local('02:00')).toISOString()).toBe(local('06:30').toISOString());
    expect(quietEnd({ from: '12:00', to: '13:30' }, local('12:10')).toISOString()).toBe(local('13:30').toISOString());
    expect(quietEnd(null, local('12:10')).toISOString()).toBe(local('12:10').toISOString());
    expect(prefsFromRow({ person_id: 1, events: '[]', quiet_from: null, quiet_to: null, channel: 'push', updated_at: '' }).channel).toBe('both');
  });

  it('parses what the page sends and refuses anything else', () => {
    expect(parsePrefs({ events: ['reply', 'inquiry'], quiet: { from: '22:00', to: '06:30' }, channel: 'push' }))
      .toEqual({ events: ['inquiry', 'reply'], quiet: { from: '22:00', to: '06:30' }, channel: 'both' }); // no "push only": an earlier page's choice reads as both
    expect(parsePrefs({ events: [], quiet: null, channel: 'both' })).toEqual({ events: [], quiet: null, channel: 'both' });
    expect(parsePrefs({ events: ['all'], quiet: null, channel: 'both' })).toBeUndefined();
    expect(parsePrefs({ events: [], quiet: { from: '25:00', to: '06:00' }, channel: 'both' })).toBeUndefined();
    expect(parsePrefs({ events: [], quiet: { from: '06:00', to: '06:00' }, channel: 'both' })).toBeUndefined();
    expect(parsePrefs({ events: [], quiet: null, channel: 'sms' })).toBeUndefined();
    expect(parsePrefs({ quiet: null, channel: 'both' })).toBeUndefined();
  });

  it('round-trips through the stored row; no row means every event, no quiet hours, both channels', () => {
    const p = { events: ['reminder' as const], quiet: { from: '21:00', to: '07:00' }, channel: 'both' as const };
    expect(prefsFromRow(prefsToRow(5, p, '2026-12-07T00:00:00.000Z'))).toEqual(p);
    expect(prefsFromRow(undefined)).toEqual({ events: ['inquiry', 'reminder', 'escalation', 'reply'], quiet: null, channel: 'both' });
  });

  it('accepts only https push endpoints with keys shaped like a browser\'s', () => {
    const keys = { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) };
    expect(parseSubscription({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys })).toEqual({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', ...keys });
    expect(parseSubscription({ endpoint: 'http://fcm.googleapis.com/x', keys })).toBeUndefined();
    expect(parseSubscription({ endpoint: 'https://x.example/y', keys: { p256dh: 'short', auth: keys.auth } })).toBeUndefined();
    expect(parseSubscription({ endpoint: 'not a url', keys })).toBeUndefined();
  });
});
