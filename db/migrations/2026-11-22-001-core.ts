import type { Kysely } from 'kysely';
import { withId, withTimestamps } from './helpers.js';

/** Directory, identities, inquiries, outbox, inbound dedupe and the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withTimestamps(withId(db, db.schema.createTable('orgs'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('predecessor_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')
    .addColumn('screening', 'integer', (c) => c.notNull().defaultTo(0))).execute();
  await db.schema.createIndex('orgs_parent').on('orgs').column('parent_id').execute();

  await withTimestamps(withId(db, db.schema.createTable('topics'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('screening', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))).execute();

  await withTimestamps(withId(db, db.schema.createTable('outlets'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())).execute();

  await withTimestamps(withId(db, db.schema.createTable('persons'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('outlet_id', 'integer', (c) => c.references('outlets.id'))
    .addColumn('outlet_name', 'text')
    .addColumn('press_card', 'text')
    .addColumn('phone', 'text')
    .addColumn('tags', 'text')
    .addColumn('locale', 'text')
    .addColumn('invite_code', 'text', (c) => c.unique())
    .addColumn('invite_used_at', 'text')).execute();

  await withTimestamps(withId(db, db.schema.createTable('role_assignments'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('case_inquiry_id', 'integer')
    .addColumn('valid_from', 'text')
    .addColumn('valid_to', 'text')).execute();
  await db.schema.createIndex('role_assignments_person').on('role_assignments').column('person_id').execute();
  await db.schema.createIndex('role_assignments_org_role').on('role_assignments').columns(['org_id', 'role']).execute();

  await withTimestamps(withId(db, db.schema.createTable('identities'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('platform_user_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('display_name', 'text')
    .addColumn('locale', 'text')
    .addColumn('dialog', 'text')
    .addColumn('unreachable_at', 'text')
    .addColumn('unreachable_reason', 'text')
    .addColumn('last_inbound_at', 'text')
    .addUniqueConstraint('identities_platform_user', ['platform', 'platform_user_id'])).execute();
  await db.schema.createIndex('identities_person').on('identities').column('person_id').execute();

  await withTimestamps(withId(db, db.schema.createTable('inquiries'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('reporter_person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('reporter_identity_id', 'integer', (c) => c.notNull().references('identities.id'))
    .addColumn('origin_chat_id', 'text', (c) => c.notNull())
    .addColumn('origin_message_id', 'text', (c) => c.notNull())
    .addColumn('topic_id', 'integer', (c) => c.references('topics.id'))
    .addColumn('org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('suggested_org_id', 'integer', (c) => c.references('orgs.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('deadline_class', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('legal_basis', 'text')
    .addColumn('due_at', 'text')
    .addColumn('urgent_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into_id', 'integer', (c) => c.references('inquiries.id'))
    .addColumn('decline_ground', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('handler_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('acknowledged_at', 'text')
    .addColumn('first_response_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('resume_status', 'text')
    .addColumn('rating', 'text')
    .addColumn('rated_at', 'text')).execute();
  await db.schema.createIndex('inquiries_org_status').on('inquiries').columns(['org_id', 'status']).execute();
  await db.schema.createIndex('inquiries_reporter').on('inquiries').column('reporter_person_id').execute();
  await db.schema.createIndex('inquiries_status').on('inquiries').column('status').execute();

  await withId(db, db.schema.createTable('inquiry_entries'))
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('inquiry_entries_inquiry').on('inquiry_entries').column('inquiry_id').execute();

  await withId(db, db.schema.createTable('message_refs'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('inquiry_id', 'integer', (c) => c.notNull().references('inquiries.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('message_refs_lookup').on('message_refs').columns(['platform', 'chat_id', 'message_id']).execute();

  await withId(db, db.schema.createTable('outbox'))
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'integer', (c) => c.notNull().references('identities.id'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('buttons', 'text')
    .addColumn('reply_to_message_id', 'text')
    .addColumn('reply_to_outbox_id', 'integer', (c) => c.references('outbox.id'))
    .addColumn('inquiry_id', 'integer', (c) => c.references('inquiries.id'))
    .addColumn('ref_kind', 'text')
    .addColumn('ref_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('report_unreachable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_message_id', 'text')
    .addColumn('sent_message_ids', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text').execute();
  await db.schema.createIndex('outbox_status').on('outbox').columns(['status', 'queue']).execute();

  await db.schema.createTable('inbound_events')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addPrimaryKeyConstraint('inbound_events_pk', ['platform', 'event_id']).execute();
  await db.schema.createIndex('inbound_events_status').on('inbound_events').column('status').execute();

  await withId(db, db.schema.createTable('audit_events'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_person_id', 'integer')
    .addColumn('actor_identity_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text').execute();
  await db.schema.createIndex('audit_events_entity').on('audit_events').columns(['entity', 'entity_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['audit_events', 'inbound_events', 'outbox', 'message_refs', 'inquiry_entries', 'inquiries',
    'identities', 'role_assignments', 'persons', 'outlets', 'topics', 'orgs']) {
    await db.schema.dropTable(t).execute();
  }
}
