import type { Db } from '../client.js';
import type {
  NotificationPrefsRow, PushDeliveryStatus, PushEvent, PushEventsTable, PushSubscriptionRow,
} from '../schema-push.js';
import { sql, type Insertable, type QueryCreator, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import { isSealed, type SecretBox } from '../secret-box.js';

/** The VAPID key pair (base64url). `privateKey` is a secret: stored sealed by the deployment's box. */
export interface VapidKeys { publicKey: string; privateKey: string }

/**
 * The service's VAPID keys, if made already, the private key opened with `box` (one stored in
 * clear before encryption is returned as is; {@link sealStoredVapidKey} seals it).
 * @throws {SecretsKeyError} when the private key was sealed under another key.
 */
export async function readVapidKeys(db: Db, box: SecretBox): Promise<VapidKeys | undefined> {
  const row = await db.selectFrom('web_push_keys').select(['public_key', 'private_key']).where('id', '=', 1).executeTakeFirst();
  return row ? { publicKey: row.public_key, privateKey: box.open(row.private_key) } : undefined;
}

/** The public half only (what the page subscribes with): needs no key. */
export async function readVapidPublicKey(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('web_push_keys').select('public_key').where('id', '=', 1).executeTakeFirst();
  return row?.public_key;
}

/** Stores `keys`, the private key sealed, unless a pair exists already (two processes starting at once keep the first). */
export async function insertVapidKeys(db: Db, keys: VapidKeys, nowIso: string, box: SecretBox): Promise<void> {
  await db.insertInto('web_push_keys').values({ id: 1, public_key: keys.publicKey, private_key: box.seal(keys.privateKey), created_at: nowIso })
    .onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Seals a private key an earlier version stored in clear; true when it did. Idempotent, safe with several processes. */
export async function sealStoredVapidKey(db: Db, box: SecretBox): Promise<boolean> {
  const row = await db.selectFrom('web_push_keys').select('private_key').where('id', '=', 1).executeTakeFirst();
  if (!row || isSealed(row.private_key)) return false;
  // Guarded on the clear value read: another process sealing it at the same moment wins once.
  const r = await db.updateTable('web_push_keys').set({ private_key: box.seal(row.private_key) })
    .where('id', '=', 1).where('private_key', '=', row.private_key).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Forgets the VAPID keys and every browser subscription (they are bound to the public key), in one
 * transaction, so the next start makes a new pair; staff turn notifications on again. For a lost
 * secrets key only. Returns how many subscriptions went.
 */
export async function resetVapidKeys(db: Db): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('web_push_keys').execute();
    const r = await tx.deleteFrom('push_subscriptions').executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}

/** A browser's subscription as the page sends it. */
export interface NewSubscription { personId: number; endpoint: string; p256dh: string; auth: string }

/** Stores a subscription; an endpoint subscribed before (same browser) now belongs to `personId`, with its new keys. */
export async function saveSubscription(db: Db, s: NewSubscription, nowIso: string): Promise<void> {
  await db.insertInto('push_subscriptions')
    .values({ person_id: s.personId, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth, created_at: nowIso, last_sent_at: null })
    .onConflict((oc) => oc.column('endpoint').doUpdateSet({ person_id: s.personId, p256dh: s.p256dh, auth: s.auth, created_at: nowIso }))
    .execute();
}

/** Removes `personId`'s subscription of `endpoint` (only their own); true when there was one. */
export async function deleteSubscription(db: Db, personId: number, endpoint: string): Promise<boolean> {
  const r = await db.deleteFrom('push_subscriptions').where('person_id', '=', personId).where('endpoint', '=', endpoint).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Removes a subscription the push service says is gone (404/410). */
export async function deleteSubscriptionById(db: Db, id: number): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}

export async function listSubscriptions(db: Db, personId: number): Promise<PushSubscriptionRow[]> {
  return db.selectFrom('push_subscriptions').selectAll().where('person_id', '=', personId).orderBy('id').execute();
}

export async function countSubscriptions(db: Db, personId: number): Promise<number> {
  const row = await db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', personId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function touchSubscription(db: Db, id: number, nowIso: string): Promise<void> {
  await db.updateTable('push_subscriptions').set({ last_sent_at: nowIso }).where('id', '=', id).execute();
}

export async function readPrefs(db: Db, personId: number): Promise<NotificationPrefsRow | undefined> {
  return db.selectFrom('notification_prefs').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

export async function savePrefs(db: Db, row: NotificationPrefsRow): Promise<void> {
  const { person_id: _id, ...rest } = row;
  await db.insertInto('notification_prefs').values(row).onConflict((oc) => oc.column('person_id').doUpdateSet(rest)).execute();
}

/** Writes a push event unless its key exists (the flow that wrote it ran again). */
export async function insertPushEvent(db: Db, row: Insertable<PushEventsTable>): Promise<void> {
  await db.insertInto('push_events').values(row).onConflict((oc) => oc.column('event_key').doNothing()).execute();
}

/** A push event to write beside a chat message; its key is the message's. */
export type PushBesideRow = Omit<Insertable<PushEventsTable>, 'event_key' | 'not_before'>;

/**
 * The insert of `push` under `key`, made only when its person has a browser subscribed (and its key
 * is new): a push for nobody would be written, read by the sender, found without a subscription
 * and closed — three more statements per notification for everyone who never turned pushes on.
 * Values are cast: PostgreSQL types a bare parameter in a SELECT list as text.
 */
export function insertPushIfSubscribed(db: QueryCreator<Database>, push: PushBesideRow, key: RawBuilder<string>) {
  const integer = (v: number | null | undefined) => sql<number>`cast(${v ?? null} as integer)`;
  const text = (v: string | null | undefined) => sql<string>`cast(${v ?? null} as text)`;
  return db.insertInto('push_events')
    .columns(['event_key', 'person_id', 'kind', 'urgent', 'title', 'body', 'inquiry_id', 'status', 'outcome', 'attempts', 'created_at', 'done_at'])
    .expression(db.selectNoFrom([
      key.as('event_key'), integer(push.person_id).as('person_id'), text(push.kind).as('kind'), integer(push.urgent).as('urgent'),
      text(push.title).as('title'), text(push.body).as('body'), integer(push.inquiry_id).as('inquiry_id'), text(push.status).as('status'),
      text(push.outcome).as('outcome'), integer(push.attempts).as('attempts'), text(push.created_at).as('created_at'), text(push.done_at).as('done_at'),
    ]).where((w) => w.exists(db.selectFrom('push_subscriptions').select(sql<number>`1`.as('one')).where('person_id', '=', push.person_id))))
    .onConflict((oc) => oc.column('event_key').doNothing());
}

/** Pending push events due at `nowIso` (none held past it by quiet hours), oldest first. */
export async function listPendingPushEvents(db: Db, nowIso: string, limit: number): Promise<PushEvent[]> {
  return db.selectFrom('push_events').selectAll().where('status', '=', 'pending')
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', nowIso)]))
    .orderBy('id').limit(limit).execute();
}

/** Holds pending event `id` until `untilIso` (the end of the person's quiet hours). */
export async function holdPushEvent(db: Db, id: number, untilIso: string): Promise<void> {
  await db.updateTable('push_events').set({ not_before: untilIso, outcome: 'quiet' }).where('id', '=', id).where('status', '=', 'pending').execute();
}

export async function findPushEventByKey(db: Db, key: string): Promise<PushEvent | undefined> {
  return db.selectFrom('push_events').selectAll().where('event_key', '=', key).executeTakeFirst();
}

export async function finishPushEvent(db: Db, id: number, outcome: string, nowIso: string): Promise<void> {
  await db.updateTable('push_events').set({ status: 'done', outcome, done_at: nowIso }).where('id', '=', id).execute();
}

export async function countPushAttempt(db: Db, id: number): Promise<void> {
  await db.updateTable('push_events').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
}

/**
 * Claims the right to send event `eventId` to subscription `subscriptionId`: true for exactly one
 * caller, ever — the first, or the one that moves a `retry` row back to `sending`. A row left
 * `sending` (the process died mid-send) is never claimed again: a push may be lost, never doubled.
 */
export async function claimDelivery(db: Db, eventId: number, subscriptionId: number, nowIso: string): Promise<boolean> {
  const inserted = await db.insertInto('push_deliveries')
    .values({ event_id: eventId, subscription_id: subscriptionId, status: 'sending', http_status: null, created_at: nowIso, updated_at: nowIso })
    .onConflict((oc) => oc.columns(['event_id', 'subscription_id']).doNothing())
    .returning('event_id').executeTakeFirst();
  if (inserted) return true;
  const retried = await db.updateTable('push_deliveries').set({ status: 'sending', updated_at: nowIso })
    .where('event_id', '=', eventId).where('subscription_id', '=', subscriptionId).where('status', '=', 'retry').executeTakeFirst();
  return Number(retried.numUpdatedRows) > 0;
}

export async function markDelivery(db: Db, eventId: number, subscriptionId: number, status: PushDeliveryStatus, httpStatus: number | null, nowIso: string): Promise<void> {
  await db.updateTable('push_deliveries').set({ status, http_status: httpStatus, updated_at: nowIso })
    .where('event_id', '=', eventId).where('subscription_id', '=', subscriptionId).execute();
}

/** How many of the event's deliveries still wait for another attempt. */
export async function countRetries(db: Db, eventId: number): Promise<number> {
  const row = await db.selectFrom('push_deliveries').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId).where('status', '=', 'retry').executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The person signed in as web chat `ownerId`, if the identity is linked. */
export async function personOfWebOwner(db: Db, ownerId: string): Promise<number | undefined> {
  const row = await db.selectFrom('identities').select('person_id')
    .where('platform', '=', 'web').where('platform_user_id', '=', ownerId).executeTakeFirst();
  return row?.person_id ?? undefined;
}

/** Deletes push events finished before `beforeIso`, with their deliveries; returns how many events went. */
export async function purgePushEvents(db: Db, beforeIso: string): Promise<number> {
  const old = db.selectFrom('push_events').select('id').where('status', '=', 'done').where('done_at', '<', beforeIso);
  await db.deleteFrom('push_deliveries').where('event_id', 'in', old).execute();
  const r = await db.deleteFrom('push_events').where('status', '=', 'done').where('done_at', '<', beforeIso).executeTakeFirst();
  return Number(r.numDeletedRows);
}
