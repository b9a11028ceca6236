import type { Db } from '../client.js';
import type { NewOutboxRow, OutboxRow } from '../schema.js';

/** Inserts one outbound message (committed with the state change that caused it); returns its id. */
export async function insertOutbox(db: Db, row: NewOutboxRow): Promise<number> {
  const inserted = await db.insertInto('outbox').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Loads one outbox row, or `undefined`. */
export async function findOutbox(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}
