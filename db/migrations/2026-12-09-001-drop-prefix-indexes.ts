import type { Kysely } from 'kysely';

/**
 * Drops three indexes that are each a leading part of another one on the same table, so every
 * lookup they served is served as well by the longer index, and every write kept one more index up
 * to date for nothing: `outbox_status` (status, queue) ⊂ `outbox_pending_heads` (status, queue,
 * platform, chat_id, id) — every outbox status change and insert; `inquiries_status` (status) ⊂
 * `inquiries_status_due` (status, due_at) — every inquiry insert and transition;
 * `inquiry_entries_inquiry` (inquiry_id) ⊂ `inquiry_entries_kind` (inquiry_id, kind) — every entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_status').ifExists().execute();
  await db.schema.dropIndex('inquiries_status').ifExists().execute();
  await db.schema.dropIndex('inquiry_entries_inquiry').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('outbox_status').ifNotExists().on('outbox').columns(['status', 'queue']).execute();
  await db.schema.createIndex('inquiries_status').ifNotExists().on('inquiries').column('status').execute();
  await db.schema.createIndex('inquiry_entries_inquiry').ifNotExists().on('inquiry_entries').column('inquiry_id').execute();
}
