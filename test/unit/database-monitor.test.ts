import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createDatabaseMonitor } from '../../src/health/database-monitor.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A database the test switches on and off. */
function switchableDb() {
  const state = { up: true, pings: 0 };
  return { state, ping: async () => { state.pings += 1; if (!state.up) throw refused(); } };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('database monitor', () => {
  const logger = createLogger({ level: 'silent' });
  const now = () => new Date('2026-12-04T03:00:00Z');

  it('says unavailable while probes fail and available after, and reconciles once per outage', async () => {
    const db = switchableDb();
    const recoveries: number[] = [];
    const m = createDatabaseMonitor({ ping: db.ping, logger, now, onRecovered: async (ms) => { recoveries.push(ms); } });
    expect((await m.check()).available).toBe(true);
    db.state.up = false;
    const down = await m.check();
    expect(down.available).toBe(false);
    expect(down.error).toContain('ECONNREFUSED');
    expect((await m.check()).available).toBe(false);
    expect(recoveries).toEqual([]);
    db.state.up = true;
    expect((await m.check()).available).toBe(true);
    expect((await m.check()).available).toBe(true);
    await until(() => recoveries.length === 1, 'the reconciliation');
    expect(recoveries).toHaveLength(1);
  });

  it('does not count one failed probe on a connection closed a moment earlier as an outage', async () => {
    let calls = 0;
    const m = createDatabaseMonitor({ ping: async () => { calls += 1; if (calls === 1) throw refused(); }, logger, now });
    expect((await m.check()).available).toBe(true);
    expect(calls).toBe(2);
  });

  it('probes at once when told a statement lost its connection, and keeps probing until the database is back', async () => {
    const db = switchableDb();
    const recovered: number[] = [];
    const m = createDatabaseMonitor({ ping: db.ping, logger, now, intervalMs: 3_600_000, downIntervalMs: 5, onRecovered: async (ms) => { recovered.push(ms); } });
    m.start();
    await until(() => db.state.pings >= 1, 'the first probe');
    db.state.up = false;
    m.suspect(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    await until(() => !m.state().available, 'unavailable');
    const pings = db.state.pings;
    await until(() => db.state.pings >= pings + 3, 'probes while down');
    db.state.up = true;
    await until(() => m.state().available && recovered.length === 1, 'available again');
    m.stop();
  });

  it('ignores errors that are not a lost connection', async () => {
    const db = switchableDb();
    const m = createDatabaseMonitor({ ping: db.ping, logger, now, intervalMs: 3_600_000 });
    m.start();
    await until(() => db.state.pings >= 1, 'the first probe');
    const pings = db.state.pings;
    m.suspect(Object.assign(new Error('duplicate key'), { code: '23505' }));
    m.suspect(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    await new Promise((r) => setImmediate(r));
    expect(db.state.pings).toBe(pings);
    m.stop();
  });
});
