import type { Kysely } from 'kysely';

/**
 * Zalo OA: the token pair of each OA (shared by every process; writes are compare-and-swap on the
 * refresh token), and the ZNS notifications sent for answers held outside the 48-hour window
 * (the primary key makes "once per held answer" hold across processes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('zalo_oa_tokens')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('access_token', 'text', (c) => c.notNull())
    .addColumn('refresh_token', 'text', (c) => c.notNull())
    .addColumn('access_expires_at', 'text', (c) => c.notNull())
    .addColumn('refresh_expires_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('refresh_lease_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull()).execute();

  await db.schema.createTable('zalo_oa_zns_sends')
    .addColumn('outbox_id', 'integer', (c) => c.primaryKey().references('outbox.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('zalo_msg_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();

  await db.schema.createIndex('outbox_held').on('outbox').columns(['status', 'identity_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_held').execute();
  await db.schema.dropTable('zalo_oa_zns_sends').execute();
  await db.schema.dropTable('zalo_oa_tokens').execute();
}
