/**
 * Chats woken by the process that sends are drained there without a queue job (issue #12: the
 * Redis round trips of each delivery's job were a tenth of the bot's thread). The bounds a queue
 * gave must hold: one drain per chat at a time, a wake during a drain is not lost, at most
 * `concurrency` drains at once, a failed drain goes to the queue, a stop waits for drains running.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxChat } from '../../db/repositories/outbox-claims.js';
import { createLocalRuns } from '../../src/outbox/local-runs.js';
import type { WakeUp } from '../../src/outbox/sweep.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';

const chat = (chatId: string): OutboxChat => ({ queue: 'outbox', platform: 'telegram', chatId });
const wakeUp = (chatId: string, headId = 1): WakeUp => ({ chat: chat(chatId), headId });

/** A drain that waits until released, and a record of what ran. */
function gatedDrains() {
  const gates: Array<() => void> = [];
  const started: string[] = [];
  let running = 0;
  let most = 0;
  return {
    started, gates,
    most: () => most,
    drain: async (c: OutboxChat) => {
      started.push(c.chatId);
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
    },
    releaseAll: () => { for (const g of gates.splice(0)) g(); },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('local drains of woken chats', () => {
  it('runs one drain per chat; a wake during it drains the chat once more after, however many wakes came', async () => {
    const d = gatedDrains();
    const runs = createLocalRuns({ concurrency: 4, drain: d.drain, fallback: async () => undefined, logger: createCapturedLogger().logger });
    runs.wake([wakeUp('a')]);
    await settle();
    runs.wake([wakeUp('a', 2), wakeUp('a', 3)]);
    runs.wake([wakeUp('a', 4)]);
    await settle();
    expect(d.started).toEqual(['a']);
    d.releaseAll();
    await settle();
    expect(d.started).toEqual(['a', 'a']);
    d.releaseAll();
    await settle();
    expect(d.started).toEqual(['a', 'a']);
    await runs.close();
  });

  it('never runs more than `concurrency` drains at once; the rest start, in order of waking, as slots free', async () => {
    const d = gatedDrains();
    const runs = createLocalRuns({ concurrency: 2, drain: d.drain, fallback: async () => undefined, logger: createCapturedLogger().logger });
    runs.wake(['a', 'b', 'c', 'd', 'c'].map((id) => wakeUp(id)));
    await settle();
    expect(d.started).toEqual(['a', 'b']);
    for (let i = 0; i < 3 && d.started.length < 4; i += 1) {
      d.releaseAll();
      await settle();
      await settle();
    }
    expect(d.started).toEqual(['a', 'b', 'c', 'd']);
    expect(d.most()).toBe(2);
    d.releaseAll();
    await runs.close();
  });

  it('hands a chat whose drain failed to the queue, with its wake-up, and logs it', async () => {
    const queued: WakeUp[] = [];
    const captured = createCapturedLogger();
    const runs = createLocalRuns({
      concurrency: 2, logger: captured.logger,
      drain: async () => { throw new Error('database is locked'); },
      fallback: async (w) => { queued.push(w); },
    });
    runs.wake([wakeUp('a', 7)]);
    await runs.idle();
    expect(queued).toEqual([wakeUp('a', 7)]);
    expect(captured.lines.some((l) => l.includes('a drain in this process failed') && !l.includes('database is locked'))).toBe(true);
    await runs.close();
  });

  it('a chat whose queue job cannot be added yet (Redis away) is free for the next wake at once', async () => {
    let calls = 0;
    const runs = createLocalRuns({
      concurrency: 2, logger: createCapturedLogger().logger,
      drain: async () => { calls += 1; if (calls === 1) throw new Error('database is locked'); },
      fallback: () => new Promise<void>(() => undefined),
    });
    runs.wake([wakeUp('a', 7)]);
    await runs.idle();
    runs.wake([wakeUp('a', 8)]);
    await runs.idle();
    expect(calls).toBe(2);
    await runs.close();
  });

  it('is idle only once every woken chat, waiting or running, has been drained', async () => {
    const d = gatedDrains();
    const runs = createLocalRuns({ concurrency: 1, drain: d.drain, fallback: async () => undefined, logger: createCapturedLogger().logger });
    await runs.idle();
    runs.wake([wakeUp('a'), wakeUp('b')]);
    let idle = false;
    const waiting = runs.idle().then(() => { idle = true; });
    d.releaseAll();
    await settle();
    expect(d.started).toEqual(['a', 'b']);
    expect(idle).toBe(false);
    d.releaseAll();
    await waiting;
    expect(idle).toBe(true);
    await runs.close();
  });

  it('a stop waits for the drains running, drops those not started, and takes no more wakes', async () => {
    const d = gatedDrains();
    const runs = createLocalRuns({ concurrency: 1, drain: d.drain, fallback: async () => undefined, logger: createCapturedLogger().logger });
    runs.wake([wakeUp('a'), wakeUp('b')]);
    await settle();
    let closed = false;
    const closing = runs.close().then(() => { closed = true; });
    await settle();
    expect(closed).toBe(false);
    runs.wake([wakeUp('c')]);
    d.releaseAll();
    await closing;
    expect(closed).toBe(true);
    expect(d.started).toEqual(['a']);
  });
});
