import type { Kysely } from 'kysely';

/**
 * `notice_recipients.send_owner`: the process (`LeaseKeeper.owner`) whose send of the row is in
 * flight, as the outbox's `lease_owner`. After a `kill -9` the next process sees that the owner is
 * gone and takes its rows over at once, instead of waiting out `NOTICE_SEND_LEASE_MS`. Null for
 * claims taken before this column existed: those wait out their lease as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notice_recipients').addColumn('send_owner', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notice_recipients').dropColumn('send_owner').execute();
}
