import type { Kysely } from 'kysely';

/**
 * The web channel's state in the database, so sessions survive a restart and a message a worker
 * process delivers reaches a page served by the web process: sessions (only a hash of the token)
 * and each web chat's timeline (both sides, numbered per chat; `rev` numbers every change, an
 * append or an edit, so a page can follow both).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('web_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('language_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('web_sessions_owner').on('web_sessions').columns(['owner_id', 'idle_expires_at']).execute();

  await db.schema.createTable('web_messages')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('buttons', 'text')
    .addColumn('client_id', 'text')
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addPrimaryKeyConstraint('web_messages_pk', ['chat_id', 'seq'])
    .addUniqueConstraint('web_messages_client', ['chat_id', 'client_id'])
    .addUniqueConstraint('web_messages_rev', ['chat_id', 'rev']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('web_messages').execute();
  await db.schema.dropTable('web_sessions').execute();
}
