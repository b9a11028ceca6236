import type { Kysely } from 'kysely';
import { withId, withTimestamps } from './helpers.js';

/** The legal calendar, deadline overrides, extensions, the deadline event log, and deadline fields on inquiries. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();

  await db.schema.createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull()).execute();

  await withTimestamps(withId(db, db.schema.createTable('deadline_overrides'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('deadline_class', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')).execute();
  await db.schema.createIndex('deadline_overrides_org').on('deadline_overrides').columns(['org_id', 'deadline_class']).execute();

  await withId(db, db.schema.createTable('extension_requests'))
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('requested_by_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('proposed_due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('extension_requests_inquiry').on('extension_requests').column('inquiry_id').execute();

  await db.schema.createTable('deadline_events')
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_events_pk', ['inquiry_id', 'kind', 'step']).execute();

  for (const [name, type] of [
    ['deadline_counting', 'text'], ['original_due_at', 'text'], ['paused_at', 'text'],
  ] as const) await db.schema.alterTable('inquiries').addColumn(name, type).execute();
  await db.schema.alterTable('inquiries').addColumn('paused_ms', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('inquiries').addColumn('deadline_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('inquiries').addColumn('class_confirmed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('orgs').addColumn('office_hours', 'text').execute();
  await db.schema.createIndex('inquiries_due').on('inquiries').column('due_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['deadline_events', 'extension_requests', 'deadline_overrides', 'calendar_years', 'calendar_days']) {
    await db.schema.dropTable(t).execute();
  }
}
