import type { Platform } from '../../adapters/types.js';
import type { Insertable } from 'kysely';
import type { Db } from '../client.js';
import type { InboundEventsTable } from '../schema.js';
import { PREPARED } from '../pg-prepared.js';
import { compiledOnce, compiledRowOnce } from '../compiled.js';

/** A persisted inbound event awaiting (or done with) processing. */
export interface StoredInbound {
  platform: Platform;
  eventId: string;
  payload: string;
}

/** Stores an inbound event once; returns false when `(platform, eventId)` was seen before. */
export async function insertInbound(db: Db, platform: Platform, eventId: string, payload: string, nowIso: string): Promise<boolean> {
  const result = await insertInboundStatement(db, platform, eventId, payload, nowIso);
  return Number(result.numAffectedRows ?? 0) > 0;
}

const insertInboundStatement = compiledOnce((db: Db, platform: Platform, eventId: string, payload: string, nowIso: string) => db.insertInto('inbound_events')
  .values({ platform, event_id: eventId, payload, status: 'pending', error: null, received_at: nowIso, processed_at: null })
  .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
  .modifyEnd(PREPARED));

/** One event for {@link insertInboundMany}; `nowIso` is when it was received. */
export interface NewInbound {
  platform: Platform;
  eventId: string;
  payload: string;
  nowIso: string;
}

/**
 * Stores several inbound events in ONE statement, each once (the keys must differ); returns, in
 * the order given, whether each was new (false: seen before).
 */
export async function insertInboundMany(db: Db, events: readonly NewInbound[]): Promise<boolean[]> {
  if (events.length <= 1) return Promise.all(events.map((e) => insertInbound(db, e.platform, e.eventId, e.payload, e.nowIso)));
  const rows: Record<string, object> = {};
  events.forEach((e, i) => {
    rows[`e${i}`] = { platform: e.platform, event_id: e.eventId, payload: e.payload, status: 'pending', error: null, received_at: e.nowIso, processed_at: null };
  });
  const { rows: inserted } = await insertManyStatement(db, rows);
  const fresh = new Set(inserted.map((r) => inboundKey(r.platform, r.event_id)));
  return events.map((e) => fresh.has(inboundKey(e.platform, e.eventId)));
}

/** An inbound event's identity (platform and event id) as one string, for sets and maps. */
export function inboundKey(platform: string, eventId: string): string {
  return `${platform}\u0000${eventId}`;
}

const insertManyStatement = compiledRowOnce((db: Db, r: Record<string, object>) => db.insertInto('inbound_events')
  .values(Object.values(r) as Array<Insertable<InboundEventsTable>>)
  .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
  .returning(['platform', 'event_id'])
  .modifyEnd(PREPARED));

/** Marks an event processed; returns false when it was not pending (another worker took it). */
export async function markInboundDone(db: Db, platform: Platform, eventId: string, nowIso: string): Promise<boolean> {
  const r = await markInboundDoneStatement(db, platform, eventId, nowIso);
  return Number(r.numAffectedRows ?? 0) > 0;
}

const markInboundDoneStatement = compiledOnce((db: Db, platform: Platform, eventId: string, nowIso: string) => db.updateTable('inbound_events')
  .set({ status: 'done', processed_at: nowIso })
  .where('platform', '=', platform).where('event_id', '=', eventId).where('status', '=', 'pending'));

export async function markInboundFailed(db: Db, platform: Platform, eventId: string, error: string, nowIso: string): Promise<void> {
  await db.updateTable('inbound_events').set({ status: 'failed', error: error.slice(0, 500), processed_at: nowIso })
    .where('platform', '=', platform).where('event_id', '=', eventId).execute();
}

/**
 * Events stored but not processed yet (the process stopped in between, or the database was away),
 * oldest first; with `receivedBefore` (ISO instant) only those stored before it.
 */
export async function listPendingInbound(db: Db, options: { receivedBefore?: string; limit?: number } = {}): Promise<StoredInbound[]> {
  let query = db.selectFrom('inbound_events').select(['platform', 'event_id', 'payload']).where('status', '=', 'pending');
  if (options.receivedBefore !== undefined) query = query.where('received_at', '<', options.receivedBefore);
  const rows = await query.orderBy('received_at').limit(options.limit ?? 1000).execute();
  return rows.map((r) => ({ platform: r.platform, eventId: r.event_id, payload: r.payload }));
}
