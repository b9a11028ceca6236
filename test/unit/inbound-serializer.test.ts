import { describe, expect, it } from 'vitest';
import { createBurstGate } from '../../src/inbound/burst-gate.js';
import { createKeyedSerializer } from '../../src/inbound/serializer.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('keyed serializer', () => {
  it('runs one task at a time per key, in order', async () => {
    const s = createKeyedSerializer(8);
    const order: string[] = [];
    const gate = deferred();
    void s.run('a', async () => { await gate.promise; order.push('a1'); });
    void s.run('a', async () => { order.push('a2'); });
    void s.run('b', async () => { order.push('b1'); });
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['b1']);
    gate.resolve();
    await s.idle();
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('never runs more than maxConcurrent tasks at once across keys, and runs them all', async () => {
    const s = createKeyedSerializer(3);
    let running = 0;
    let peak = 0;
    let done = 0;
    for (let i = 0; i < 50; i += 1) {
      void s.run(`k${i}`, async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running -= 1;
        done += 1;
      });
    }
    await s.idle();
    expect(done).toBe(50);
    expect(peak).toBe(3);
  });

  it('keeps going after a task throws', async () => {
    const s = createKeyedSerializer(1);
    let ran = false;
    void s.run('a', async () => { throw new Error('boom'); });
    void s.run('a', async () => { ran = true; });
    await s.idle();
    expect(ran).toBe(true);
  });
});

describe('burst gate', () => {
  /** A clock that only moves when the gate sleeps; `during` runs at each sleep (arrivals meanwhile). */
  function fakeTiming(during: (now: number) => void = () => undefined) {
    const t = { now: 0, sleeps: [] as number[] };
    return {
      t,
      timing: {
        now: () => t.now,
        sleep: async (ms: number) => { t.sleeps.push(ms); t.now += ms; during(t.now); },
      },
    };
  }

  it('lets a flow run once no event arrived for the quiet time', async () => {
    const { t, timing } = fakeTiming();
    const gate = createBurstGate(5, 250, timing);
    gate.arrived();
    await gate.wait(0);
    expect(t.now).toBe(5);
  });

  it('keeps flows waiting while events keep arriving, but never past the longest deferral', async () => {
    const f = fakeTiming((now) => { if (now < 1000) gate.arrived(); });
    const gate = createBurstGate(5, 250, f.timing);
    gate.arrived();
    await gate.wait(0);
    expect(f.t.now).toBe(250);
  });

  it('waits for nothing when off, or when the last event is long past', async () => {
    const off = fakeTiming();
    const gateOff = createBurstGate(0, 250, off.timing);
    gateOff.arrived();
    await gateOff.wait(0);
    expect(off.t.sleeps).toEqual([]);
    const quiet = fakeTiming();
    const gate = createBurstGate(5, 250, quiet.timing);
    gate.arrived();
    quiet.t.now = 100;
    await gate.wait(100);
    expect(quiet.t.sleeps).toEqual([]);
  });
});
