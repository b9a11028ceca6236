import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createPacer, logLimit, type Pacer } from '../../src/notices/pacer.js';
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

  it('admits at most the rate in any rolling second, across processes, even when lanes skip the slot reservation', async () => {
    const lanes = [processPacer(), processPacer(), processPacer()];
    const observer = lanes[0]!.redis;
    const admitted: number[] = [];
    const rate = 10;
    // 3 processes × 4 lanes × 3 sends = 36 sends; lanes call admit() directly, as a lane that was
    // delayed after its reserved slot would: the log alone must hold the limit.
    await Promise.all(lanes.flatMap(({ pacer }, p) => Array.from({ length: 4 }, async (_, lane) => {
      for (let i = 0; i < 3; i += 1) {
        await pacer.admit('acct-a', `chat-${p}-${lane}-${i}`, rate, 1000);
        admitted.push(await redisNowMs(observer));
      }
    })));
    admitted.sort((a, b) => a - b);
    expect(admitted).toHaveLength(36);
    // The 11th admission after any admission lies at least a second later (minus the read's own latency).
    for (let i = 0; i + rate < admitted.length; i += 1) {
      expect(admitted[i + rate]! - admitted[i]!).toBeGreaterThan(950);
    }
  });

  it('keeps two sends to one chat the chat interval (plus margin) apart, even with no account limit', async () => {
    const { pacer, redis } = processPacer();
    await pacer.admit('acct-b', 'chat-1', 0, 300);
    const first = await redisNowMs(redis);
    const order: string[] = [];
    await Promise.all([
      pacer.admit('acct-b', 'chat-1', 0, 300).then(() => order.push('chat-1')),
      pacer.admit('acct-b', 'chat-2', 0, 300).then(() => order.push('chat-2')),
    ]);
    const second = await redisNowMs(redis);
    expect(order).toEqual(['chat-2', 'chat-1']);
    expect(second - first).toBeGreaterThanOrEqual(340);
  });

  it('holds every send of the account while paused by a 429, for the pause only', async () => {
    const { pacer, redis } = processPacer();
    const other = processPacer().pacer;
    await pacer.pause('acct-c', 400);
    const from = await redisNowMs(redis);
    const order: string[] = [];
    await Promise.all([
      other.acquire('acct-c', 'chat-1', 20, 1000).then(() => other.admit('acct-c', 'chat-1', 20, 1000)).then(async () => {
        order.push('paused account');
        expect(await redisNowMs(redis) - from).toBeGreaterThanOrEqual(390);
      }),
      pacer.admit('acct-d', 'chat-1', 20, 1000).then(() => order.push('other account')),
    ]);
    expect(order).toEqual(['other account', 'paused account']);
  });
});
