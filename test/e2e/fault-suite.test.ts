/**
 * The short fault suite inside `npm test` (the full one is `npm run faults`): the bot as `npm
 * start` runs it, under a steady inquiry load through the fake Bot API and the fake Zalo OA
 * server (reporters on both, re-delivering unacknowledged OA events as Zalo does), on private Redis and
 * PostgreSQL servers; one kill -9, one Redis FLUSHALL and one burst of 5xx from the platform, each
 * held to the bounds of issue #10 (0 lost, duplicates ≤ sends in flight, first message ≤ 5 s after
 * recovery and Redis state reconciled ≤ 60 s, both from the bot's own timestamps, and no exit of
 * its own); then, on each database, 1,000 generated bodies through every inbound route, none answered 5xx.
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../faults/fuzz.js';
import { canRun, runPlan, SHORT_PLAN } from '../faults/plan.js';
import type { FaultOutcome } from '../faults/segment.js';
import type { DbKind } from '../faults/session.js';

/** A ceiling for each wait of the load (not a measure: the bounds are checked on the bot's timestamps). */
const WAIT_MS = 120_000;
const log = (m: string) => { if (process.env.FAULTS_DEBUG) console.log(`[fault-suite] ${m}`); };

describe.each((['sqlite', 'postgres'] as DbKind[]).filter(canRun))('fault suite, short, on %s', (db) => {
  it('kill -9, Redis FLUSHALL and a 5xx burst under load: nothing lost, repeats only for sends in flight, bounds kept', async () => {
    const outcomes: FaultOutcome[] = await runPlan(db, SHORT_PLAN, { reporters: 4, zaloReporters: 2, pauseMs: 500, waitMs: WAIT_MS, log });
    console.log(`fault suite (${db}): ${JSON.stringify(outcomes.map(({ problems: _p, ...o }) => o))}`);
    expect(outcomes.map((o) => o.fault)).toEqual(SHORT_PLAN.map((s) => s.name));
    for (const o of outcomes) {
      expect.soft(o.problems, `${o.fault} on ${db}`).toEqual([]);
      expect(o.lost).toBe(0);
      expect(o.duplicated).toBeLessThanOrEqual(o.inFlight);
      expect(o.exited).toBe(false);
      // Each segment carried real traffic, all of it delivered.
      expect(o.sent).toBeGreaterThan(0);
      expect(o.deliveredZalo).toBeGreaterThan(0);
      expect(o.delivered).toBe(o.sent + o.duplicated);
    }
    const flush = outcomes.find((o) => o.fault === 'Redis FLUSHALL')!;
    expect(flush.reconcileMs).toBeLessThanOrEqual(60_000);
  }, 900_000);
});

describe.each((['sqlite', 'postgres'] as DbKind[]).filter(canRun))('fuzz, short, on %s', (db) => {
  it('1,000 generated bodies through the Telegram webhook, the Zalo OA webhook and the web API: no 5xx, no crash', async () => {
    const result = await runFuzz({ bodies: 1000, db, log });
    console.log(`fuzz (${db}): ${JSON.stringify({ ...result, failures: result.failures.length })}`);
    expect(result.failures).toEqual([]);
    expect(result.exited).toBe(false);
    expect(result.healthy).toBe(true);
    // Every route was reached, and each answered something other than a refusal at least once.
    expect(Object.keys(result.statuses).sort()).toEqual(['telegram', 'web-buttons', 'web-messages', 'web-send-code', 'web-sign-in', 'zalo-oa']);
    expect(result.statuses.telegram?.['200']).toBeGreaterThan(0);
    expect(result.statuses['zalo-oa']?.['200']).toBeGreaterThan(0);
  }, 600_000);
});
