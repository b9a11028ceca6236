import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remindMissingCalendar } from '../../flows/maintenance/calendar-reminder.js';
import { createLogger } from '../../src/logger.js';
import { createMaintenance } from '../../src/scheduler/maintenance.js';
import { createRedisConnection } from '../../src/scheduler/queues.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat } from '../helpers/directory-fixture.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

async function seedAdmin(db: TestDb['db']): Promise<void> {
  const now = '2026-11-01T00:00:00.000Z';
  const p = await db.insertInto('persons').values({ code: 'ad', full_name: 'Quản trị', outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('role_assignments').values({ person_id: p.id, role: 'admin', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: now, updated_at: now }).execute();
  await linkChat(db, p.id, 'telegram', '900');
}

describe.each(testDialects())('December calendar reminder on %s', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    await seedAdmin(t.db);
  });
  afterEach(async () => { await t.drop(); });

  it('tells the admins once a day in December until next year is imported, and never outside December', async () => {
    expect(await remindMissingCalendar(t.db, new Date('2026-11-30T03:00:00Z'), 'vi')).toEqual([]);
    const first = await remindMissingCalendar(t.db, new Date('2026-12-01T02:00:00Z'), 'vi');
    expect(first).toHaveLength(1);
    expect(await remindMissingCalendar(t.db, new Date('2026-12-01T09:00:00Z'), 'vi')).toEqual([]);
    const row = await t.db.selectFrom('outbox').select(['text', 'chat_id']).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ chat_id: '900' });
    expect(row.text).toContain('năm 2027');
    expect(await remindMissingCalendar(t.db, new Date('2026-12-02T02:00:00Z'), 'vi')).toHaveLength(1);
    await t.db.insertInto('calendar_years').values({ year: 2027, source: '2027.csv', imported_at: '2026-12-02T05:00:00.000Z' }).execute();
    expect(await remindMissingCalendar(t.db, new Date('2026-12-03T02:00:00Z'), 'vi')).toEqual([]);
  });
});

describe('maintenance queue', () => {
  const prefix = uniquePrefix('maint');
  afterAll(async () => { await deletePrefix(prefix); });

  it('registers the December calendar check as a job scheduler in Asia/Ho_Chi_Minh, and runs it at start', async () => {
    let runs = 0;
    const m = createMaintenance({ redis: { url: TEST_REDIS_URL }, prefix, logger: createLogger({ level: 'silent' }), calendarCheck: async () => { runs += 1; return []; }, enqueueOutbox: async () => undefined });
    await m.start();
    const connection = createRedisConnection({ url: TEST_REDIS_URL }, 'test');
    const queue = new Queue('maintenance', { connection, prefix });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([['calendar-check', '0 9 * 12 *', 'Asia/Ho_Chi_Minh']]);
    expect(runs).toBeGreaterThanOrEqual(1);
    await queue.close();
    connection.disconnect();
    await m.close();
  });

  it('registers the nightly prune when given one, and runs it by its job name', async () => {
    let pruned = 0;
    const own = uniquePrefix('maint-prune');
    const m = createMaintenance({ redis: { url: TEST_REDIS_URL }, prefix: own, logger: createLogger({ level: 'silent' }), calendarCheck: async () => [], enqueueOutbox: async () => undefined, prune: async () => { pruned += 1; } });
    await m.start();
    const connection = createRedisConnection({ url: TEST_REDIS_URL }, 'test');
    const queue = new Queue('maintenance', { connection, prefix: own });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([['calendar-check', '0 9 * 12 *', 'Asia/Ho_Chi_Minh'], ['prune', '15 3 * * *', 'Asia/Ho_Chi_Minh']]);
    await queue.add('prune', {});
    await expect.poll(() => pruned, { timeout: 5000 }).toBe(1);
    await queue.close();
    connection.disconnect();
    await m.close();
    await deletePrefix(own);
  });
});
