import type { Kysely } from 'kysely';
import { withId } from './helpers.js';

/**
 * Buttons of messages sent as numbered text (platforms without inline buttons), so that a reply
 * "2" can be read as a press of the second button.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db, db.schema.createTable('choice_menus'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('buttons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('choice_menus_chat').on('choice_menus').columns(['platform', 'chat_id', 'id']).execute();
  await db.schema.createIndex('choice_menus_message').on('choice_menus').columns(['platform', 'chat_id', 'message_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('choice_menus').execute();
}
