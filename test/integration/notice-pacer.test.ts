import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAT_JITTER_MARGIN_MS, createPacer, logLimit, type Pacer } from '../../src/notices/pacer.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const prefix = uniquePrefix('notice-pacer');
const connections: Redis[] = [];

/** A pacer on its own connection, as one worker process would have. */
function processPacer(): { pacer: Pacer; redis: Redis } {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(redis);
  return { pacer: createPacer(redis, prefix), redis };
}

/** Redis server time in ms: the clock the pacer itself uses. */
async function redisNowMs(redis: Redis): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Number(us) / 1000;
}

afterAll(async () => {
  for (const c of connections) c.disconnect();
  await deletePrefix(prefix);
});

describe('notice pacer (Redis)', () => {
  it('turns a rate into a sliding-log limit', () => {
    expect(logLimit(29)).toEqual({ cap: 29, windowUs: 1_000_000 });
    expect(logLimit(0.5)).toEqual({ cap: 1, windowUs: 2_000_000 });
    expect(logLimit(0)).toEqual({ cap: 0, windowUs: 0 });
  });

  // Times below are the admission instants the pacer recorded (Redis server time, µs), never when
  // the test saw a promise settle: a loaded machine delays the latter, not the former.
  it('admits at most the rate in any rolling second, across processes, even when lanes skip the slot reservation', async () => {
    const lanes = [processPacer(), processPacer(), processPacer()];
    const admitted: number[] = [];
    const rate = 10;
    // 3 processes × 4 lanes × 3 sends = 36 sends; lanes call admit() directly, as a lane that was
    // delayed after its reserved slot would: the log alone must hold the limit.
    await Promise.all(lanes.flatMap(({ pacer }, p) => Array.from({ length: 4 }, async (_, lane) => {
      for (let i = 0; i < 3; i += 1) {
        admitted.push(await pacer.admit('acct-a', `chat-${p}-${lane}-${i}`, rate, 1000));
      }
    })));
    admitted.sort((a, b) => a - b);
    expect(admitted).toHaveLength(36);
    // The 11th admission after any admission lies at least a second later.
    for (let i = 0; i + rate < admitted.length; i += 1) {
      expect(admitted[i + rate]! - admitted[i]!).toBeGreaterThanOrEqual(1_000_000);
    }
  });

  it('keeps two sends to one chat the chat interval (plus margin) apart, even with no account limit', async () => {
    const { pacer } = processPacer();
    const first = await pacer.admit('acct-b', 'chat-1', 0, 300);
    const [second, otherChat] = await Promise.all([pacer.admit('acct-b', 'chat-1', 0, 300), pacer.admit('acct-b', 'chat-2', 0, 300)]);
    expect(otherChat).toBeLessThan(second);
    expect(second - first).toBeGreaterThanOrEqual((300 + CHAT_JITTER_MARGIN_MS) * 1000);
  });

  it('holds every send of the account while paused by a 429, for the pause only', async () => {
    const { pacer, redis } = processPacer();
    const other = processPacer().pacer;
    // Read before the pause is set, so the pause ends at least 400 ms after it.
    const from = await redisNowMs(redis);
    await pacer.pause('acct-c', 400);
    const [paused, unpaused] = await Promise.all([
      other.acquire('acct-c', 'chat-1', 20, 1000).then(() => other.admit('acct-c', 'chat-1', 20, 1000)),
      pacer.admit('acct-d', 'chat-1', 20, 1000),
    ]);
    expect(paused - from * 1000).toBeGreaterThanOrEqual(400_000);
    expect(unpaused).toBeLessThan(paused);
  });
});
