import type { Kysely } from 'kysely';

/**
 * A flood of notices into one chat is sent as one digest message (issue 12): the rows it carries
 * become `digested` with `digest_id` naming the digest's own outbox row, in the transaction that
 * inserts it, so each is delivered once, alone or in its digest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('digest_id', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('digest_id').execute();
}
