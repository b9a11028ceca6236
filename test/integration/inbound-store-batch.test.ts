import { afterEach, describe, expect, it } from 'vitest';
import { createInboundStore } from '../../src/inbound/store-batch.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const AT = '2026-12-06T03:00:00.000Z';
const event = (id: string, payload = `{"id":"${id}"}`) => ({ platform: 'telegram' as const, eventId: id, payload, nowIso: AT });

describe.each(testDialects())('inbound events stored together (%s)', (dialect) => {
  let h: TestDb | undefined;
  afterEach(async () => {
    await h?.drop();
    h = undefined;
  });

  const stored = async () => (await h!.db.selectFrom('inbound_events').select(['event_id', 'payload', 'status']).orderBy('event_id').execute());

  it('events asked for in one turn are written by one statement, each answered whether it was new', async () => {
    h = await createTestDb(dialect);
    const store = createInboundStore(h.priority);
    const before = h.statements();
    expect(await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => store(event(id))))).toEqual([true, true, true, true, true]);
    expect(h.statements() - before).toBe(1);
    // Seen before, with new ones beside them: only the new ones are new.
    expect(await Promise.all([store(event('a')), store(event('f')), store(event('c'))])).toEqual([false, true, false]);
    expect((await stored()).map((r) => [r.event_id, r.status])).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => [id, 'pending']));
    // One at a time (a quiet webhook): one statement each, as before.
    const quiet = h.statements();
    expect(await store(event('g'))).toBe(true);
    expect(await store(event('g'))).toBe(false);
    expect(h.statements() - quiet).toBe(2);
  });

  it('an event asked for twice in one turn is stored once: the first caller is told it is new, the second that it was seen', async () => {
    h = await createTestDb(dialect);
    const store = createInboundStore(h.priority);
    expect(await Promise.all([store(event('x', '{"first":1}')), store(event('y')), store(event('x', '{"second":2}'))])).toEqual([true, true, false]);
    expect(await stored()).toEqual([{ event_id: 'x', payload: '{"first":1}', status: 'pending' }, { event_id: 'y', payload: '{"id":"y"}', status: 'pending' }]);
  });

  it('a large turn is written 32 events per statement', async () => {
    h = await createTestDb(dialect);
    const store = createInboundStore(h.priority);
    const before = h.statements();
    const ids = Array.from({ length: 70 }, (_, i) => `n${String(i).padStart(2, '0')}`);
    expect((await Promise.all(ids.map((id) => store(event(id))))).every(Boolean)).toBe(true);
    expect(h.statements() - before).toBe(3);
    expect((await stored()).map((r) => r.event_id)).toEqual(ids);
  });

  it('a statement that fails fails every event in it and stores none of them; each caller can store its own again', async () => {
    h = await createTestDb(dialect);
    const store = createInboundStore(h.priority);
    // A payload the table refuses (NOT NULL) takes its whole statement down.
    const results = await Promise.allSettled([store(event('p')), store({ ...event('q'), payload: null as unknown as string }), store(event('r'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await stored()).toEqual([]);
    expect(await Promise.all([store(event('p')), store(event('r'))])).toEqual([true, true]);
    expect((await stored()).map((r) => r.event_id)).toEqual(['p', 'r']);
  });
});
