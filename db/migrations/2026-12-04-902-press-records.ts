import type { Kysely } from 'kysely';
import { withId, withTimestamps } from './helpers.js';

/**
 * What the Decree 244 Art. 10 annual report needs that was not recorded (issue #15):
 * - `press_conferences` (+ `press_conference_agencies`, `press_conference_registrations`,
 *   `press_conference_questions`): scheduled by a coordinator, announced through the notices
 *   engine, attended and asked in advance by reporters, marked held; a question not answered on
 *   the day becomes an ordinary inquiry (`inquiry_id`);
 * - `correction_requests`: a spokesperson's written request to a press outlet to correct a false
 *   report, and its outcome; `document_ref` names the attached document once attachments exist;
 * - `statements`: a statement an agency published on its own initiative about an event (counted
 *   under the 24-hour rule with the `incident` / `public_opinion` inquiries).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withTimestamps(withId(db, db.schema.createTable('press_conferences'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('host_org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'integer', (c) => c.references('notices.id'))
    .addColumn('created_by_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('held_at', 'text')
    .addColumn('held_by_person_id', 'integer', (c) => c.references('persons.id'))).execute();
  await db.schema.createIndex('press_conferences_host').on('press_conferences').columns(['host_org_id', 'starts_at']).execute();
  await db.schema.createTable('press_conference_agencies')
    .addColumn('conference_id', 'integer', (c) => c.notNull().references('press_conferences.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addPrimaryKeyConstraint('press_conference_agencies_pk', ['conference_id', 'org_id']).execute();
  await db.schema.createTable('press_conference_registrations')
    .addColumn('conference_id', 'integer', (c) => c.notNull().references('press_conferences.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('press_conference_registrations_pk', ['conference_id', 'person_id']).execute();
  await withTimestamps(withId(db, db.schema.createTable('press_conference_questions'))
    .addColumn('conference_id', 'integer', (c) => c.notNull().references('press_conferences.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('identity_id', 'integer', (c) => c.notNull().references('identities.id'))
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('inquiry_id', 'integer', (c) => c.references('inquiries.id'))).execute();
  await db.schema.createIndex('press_conference_questions_conf').on('press_conference_questions').columns(['conference_id', 'status']).execute();
  await withTimestamps(withId(db, db.schema.createTable('correction_requests'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('recorded_by_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('outlet_id', 'integer', (c) => c.references('outlets.id'))
    .addColumn('outlet_name', 'text', (c) => c.notNull())
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('requested_on', 'text', (c) => c.notNull())
    .addColumn('grounds', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('outcome_note', 'text')
    .addColumn('outcome_on', 'text')
    .addColumn('document_ref', 'text')).execute();
  await db.schema.createIndex('correction_requests_org').on('correction_requests').columns(['org_id', 'requested_on']).execute();
  await withTimestamps(withId(db, db.schema.createTable('statements'))
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('orgs.id'))
    .addColumn('recorded_by_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('event_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('link', 'text')).execute();
  await db.schema.createIndex('statements_org').on('statements').columns(['org_id', 'event_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['statements', 'correction_requests', 'press_conference_questions', 'press_conference_registrations', 'press_conference_agencies', 'press_conferences']) {
    await db.schema.dropTable(t).execute();
  }
}
