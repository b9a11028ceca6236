import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as time from '../../src/time/index.js';

/**
 * A fingerprint of the time functions' answers (JavaScript source, so a child process can run the
 * very same code): statutory calendars, due times, office-time arithmetic over awkward instants.
 */
const FINGERPRINT = `
  const cal = t.createWorkCalendar({ officialYears: [2026], official: [
    { date: '2026-01-02', kind: 'day_off', name: 'x', source: 'x' },
    { date: '2026-01-10', kind: 'makeup_workday', name: 'x', source: 'x' } ] });
  const out = { statutory: [2025, 2027, 2028, 2031].map((y) => t.statutoryEntries(y).map((e) => e.date + ':' + e.kind)), rows: [] };
  let seed = 12345;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  for (let i = 0; i < 300; i += 1) {
    const at = new Date(Date.UTC(2025, 11, 20) + (next() % (130 * 86400)) * 1000);
    const to = new Date(at.getTime() + (next() % (20 * 86400)) * 1000);
    out.rows.push([t.toLocalDate(at), t.computeDue(at, 1 + (i % 20), 'working_days', cal).toISOString(),
      t.computeDue(at, 1 + (i % 35), 'days', cal).toISOString(), t.computeDue(at, 24, 'hours', cal).toISOString(),
      t.isOfficeTime(at, cal), t.nextOfficeTime(at, cal).toISOString(), t.businessMs(at, to, cal),
      t.addBusinessMs(at, i * 600000, cal).toISOString(), t.atLocalTime(t.toLocalDate(at), '07:30').toISOString()]);
  }
  return JSON.stringify(out);`;

const MODULE = fileURLToPath(new URL('../../src/time/index.ts', import.meta.url));
const fingerprint = new Function('t', FINGERPRINT) as (t: unknown) => string;

function fingerprintInChild(tz: string): string {
  const script = `const t = await import(${JSON.stringify(MODULE)}); process.stdout.write((function (t) {${FINGERPRINT}})(t));`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, TZ: tz }, encoding: 'utf8',
  });
}

describe('results do not depend on the process time zone', () => {
  const original = process.env.TZ;
  afterEach(() => { process.env.TZ = original; });

  it('gives the same answers after switching this process to UTC+14 and UTC−8', () => {
    const utc = fingerprint(time);
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      process.env.TZ = tz;
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).not.toBe(0);
      expect(fingerprint(time)).toBe(utc);
    }
  });

  it('gives the same answers, date-holidays included, in processes started in other time zones', () => {
    const utc = fingerprint(time);
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Ho_Chi_Minh']) expect(fingerprintInChild(tz)).toBe(utc);
  }, 60_000);
});
