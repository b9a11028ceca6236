import type { Db } from '../../db/client.js';
import { inboundKey, insertInboundMany, type NewInbound } from '../../db/repositories/inbound.js';

/** Most events written by one statement (a bound on the statement shapes each connection prepares). */
const MAX_BATCH = 32;

/**
 * Stores one inbound event; resolves with whether it was new (false: seen before), or rejects with
 * the database's error.
 */
export type StoreInbound = (event: NewInbound) => Promise<boolean>;

interface Waiting {
  event: NewInbound;
  resolve(fresh: boolean): void;
  reject(err: unknown): void;
}

/**
 * Stores inbound events through `db`, those asked for in the same turn of the event loop in one
 * statement (`insertInboundMany`): a poll's updates of several chats, or webhook requests that
 * arrive together, cost one round trip instead of one each. Each caller is answered only when its
 * statement is done, as before; a failed statement fails every event in it, and each caller's own
 * retry stores it again. The wait is one turn of the loop.
 */
export function createInboundStore(db: Db): StoreInbound {
  let waiting: Waiting[] = [];
  const flush = (): void => {
    const batch = waiting;
    waiting = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) void write(db, batch.slice(i, i + MAX_BATCH));
  };
  return (event) => new Promise<boolean>((resolve, reject) => {
    if (waiting.length === 0) setImmediate(flush);
    waiting.push({ event, resolve, reject });
  });
}

/** One statement for `batch`; an event asked for twice in it (a redelivery racing the first) is stored once, the later caller told it was seen. */
async function write(db: Db, batch: readonly Waiting[]): Promise<void> {
  const keyOf = (e: NewInbound) => inboundKey(e.platform, e.eventId);
  const index = new Map<string, number>();
  const unique: NewInbound[] = [];
  for (const { event } of batch) {
    if (index.has(keyOf(event))) continue;
    index.set(keyOf(event), unique.length);
    unique.push(event);
  }
  let fresh: boolean[];
  try {
    fresh = await insertInboundMany(db, unique);
  } catch (err) {
    for (const w of batch) w.reject(err);
    return;
  }
  const answered = new Set<string>();
  for (const w of batch) {
    const key = keyOf(w.event);
    w.resolve(!answered.has(key) && fresh[index.get(key)!] === true);
    answered.add(key);
  }
}
