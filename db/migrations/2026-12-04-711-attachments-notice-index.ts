import type { Kysely } from 'kysely';

/**
 * A notice's files are read once per delivery batch (`findNoticeAttachments`): by `notice_id`,
 * which migration 701 left without an index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('attachments_notice').on('attachments').columns(['notice_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('attachments_notice').execute();
}
