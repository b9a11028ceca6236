import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deadlineJobId, describeRedisTarget, outboxJobId, parseOutboxJobId, QUEUE_NAMES,
} from '../../src/scheduler/queues.js';

const dbId = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const instance = fc.stringMatching(/^[A-Za-z0-9-]{1,24}$/);

/** BullMQ's rules for custom job ids. */
function isValidJobId(id: string): boolean {
  return !id.includes(':') && !/^\d+$/.test(id);
}

describe('job ids', () => {
  it('outbox ids never contain ":" and are never all digits', () => {
    fc.assert(fc.property(dbId, instance, fc.option(dbId, { nil: undefined }), (id, who, due) => isValidJobId(outboxJobId(id, who, due))));
  });

  it('deadline ids never contain ":" and are never all digits', () => {
    fc.assert(fc.property(dbId, (inquiry) => isValidJobId(deadlineJobId(inquiry))));
  });

  it('round-trips outbox ids', () => {
    fc.assert(fc.property(dbId, instance, fc.option(dbId, { nil: undefined }), (id, who, due) => parseOutboxJobId(outboxJobId(id, who, due)) === id));
    expect(parseOutboxJobId('outbox-42')).toBe(42);
    expect(parseOutboxJobId('deadline-1-remind-0')).toBeUndefined();
  });

  it('builds the documented shapes', () => {
    expect(outboxJobId(42, 'outbox-1a2b')).toBe('outbox-42-outbox-1a2b');
    expect(outboxJobId(42, 'outbox-1a2b', 1_800_000_000_000)).toBe('outbox-42-outbox-1a2b-t1800000000000');
    expect(deadlineJobId(42)).toBe('deadline-42');
  });

  it('refuses ids that are not database ids and instances that could break the shape', () => {
    expect(() => outboxJobId(1.5, 'a')).toThrow(RangeError);
    expect(() => outboxJobId(-1, 'a')).toThrow(RangeError);
    expect(() => outboxJobId(1, 'a:b')).toThrow(RangeError);
    expect(() => deadlineJobId(1.5)).toThrow(RangeError);
    expect(() => deadlineJobId(-1)).toThrow(RangeError);
  });
});

describe('queues', () => {
  it('has one queue per purpose', () => {
    expect(Object.values(QUEUE_NAMES)).toEqual(['outbox', 'deadlines', 'notices', 'maintenance']);
  });

  it('describes a redis target without its password', () => {
    expect(describeRedisTarget({ url: 'redis://user:s3cret@redis.local:6380/2' })).toBe('redis://redis.local:6380/2');
    expect(describeRedisTarget({ path: '/tmp/r/redis.sock' })).toBe('unix:/tmp/r/redis.sock');
  });
});
