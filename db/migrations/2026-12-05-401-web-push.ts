import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * Notifications (issue #14). `web_push_keys`: the service's one VAPID key pair, made at first
 * start. `push_subscriptions`: a browser's push endpoint and keys, per person (an endpoint is one
 * browser profile: it belongs to whoever subscribed it last). `notification_prefs`: which events,
 * quiet hours and preferred channel, per person. `push_events`: one row per event a person is to be
 * told about, written in the flow's own transaction beside the chat message (`event_key` unique:
 * the outbox row's id). `push_deliveries`: one row per (event, subscription), claimed before the
 * push is sent, so a retried or concurrent sender never sends one event to one browser twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('web_push_keys')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('push_subscriptions'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .execute();
  await db.schema.createIndex('push_subscriptions_person').on('push_subscriptions').column('person_id').execute();
  await db.schema.createTable('notification_prefs')
    .addColumn('person_id', 'integer', (c) => c.primaryKey())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('quiet_from', 'text')
    .addColumn('quiet_to', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('push_events'))
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('inquiry_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('push_events_pending').on('push_events').columns(['status', 'id']).execute();
  await db.schema.createTable('push_deliveries')
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('subscription_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_deliveries_pk', ['event_id', 'subscription_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_deliveries').execute();
  await db.schema.dropTable('push_events').execute();
  await db.schema.dropTable('notification_prefs').execute();
  await db.schema.dropTable('push_subscriptions').execute();
  await db.schema.dropTable('web_push_keys').execute();
}
