import type { Platform } from '../../adapters/types.js';
import { sql } from 'kysely';
import type { Db } from '../client.js';
import { compiledOnce } from '../compiled.js';
import type { Identity } from '../schema.js';

/** What an inbound event tells us about its sender. */
export interface SeenIdentity {
  platform: Platform;
  platformUserId: string;
  chatId: string;
  displayName?: string;
}

/**
 * Returns the identity for a sender, creating it on first contact, and records the inbound time
 * (a person who writes to us is reachable again).
 */
export async function touchIdentity(db: Db, seen: SeenIdentity, nowIso: string): Promise<Identity> {
  // A new identity takes the name as given (or none), a known one only a non-empty name.
  const { rows: [identity] } = await touchIdentityStatement(db, seen.platform, seen.platformUserId, seen.chatId, seen.displayName ?? null, seen.displayName ? seen.displayName : null, nowIso);
  return identity!;
}

const touchIdentityStatement = compiledOnce((
  db: Db, platform: Platform, platformUserId: string, chatId: string, name: string | null, rename: string | null, nowIso: string,
) => db.insertInto('identities').values({
  platform, platform_user_id: platformUserId, chat_id: chatId,
  person_id: null, display_name: name, locale: null, dialog: null,
  unreachable_at: null, unreachable_reason: null, last_inbound_at: nowIso, created_at: nowIso, updated_at: nowIso,
}).onConflict((oc) => oc.columns(['platform', 'platform_user_id']).doUpdateSet({
  chat_id: chatId, last_inbound_at: nowIso, unreachable_at: null, unreachable_reason: null,
  display_name: sql<string | null>`coalesce(cast(${rename} as text), identities.display_name)`,
})).returningAll());

export async function findIdentity(db: Db, id: number): Promise<Identity | undefined> {
  return db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The identity of a platform user (`web`: the web page's owner id), if it exists. */
export async function findIdentityOf(db: Db, platform: Platform, platformUserId: string): Promise<Identity | undefined> {
  return db.selectFrom('identities').selectAll().where('platform', '=', platform).where('platform_user_id', '=', platformUserId).executeTakeFirst();
}

/** Updates the conversation state (JSON) of an identity; `null` clears it. */
export async function setDialog(db: Db, identityId: number, dialog: unknown, nowIso: string): Promise<void> {
  await setDialogStatement(db, identityId, dialog === null ? null : JSON.stringify(dialog), nowIso);
}

const setDialogStatement = compiledOnce((db: Db, identityId: number, dialog: string | null, nowIso: string) => db.updateTable('identities')
  .set({ dialog, updated_at: nowIso }).where('id', '=', identityId));

/**
 * The languages recorded for chat `platformUserId` on `platform`: its person's (`person`) and its
 * own (`chat`, set before registration), null when unset; undefined when the chat is unknown.
 */
export async function findChatLocales(db: Db, platform: Platform, platformUserId: string): Promise<{ person: string | null; chat: string | null } | undefined> {
  const row = await db.selectFrom('identities').leftJoin('persons', 'persons.id', 'identities.person_id')
    .select(['identities.locale as chat', 'persons.locale as person'])
    .where('identities.platform', '=', platform).where('identities.platform_user_id', '=', platformUserId).executeTakeFirst();
  return row ? { person: row.person ?? null, chat: row.chat ?? null } : undefined;
}

/** {@link findChatLocales} for many chats at once, with each chat's person (null: none yet); unknown chats are left out. */
export async function findChatsLocales(db: Db, platform: Platform, platformUserIds: readonly string[]): Promise<Map<string, { person: string | null; chat: string | null; personId: number | null }>> {
  if (platformUserIds.length === 0) return new Map();
  const rows = await db.selectFrom('identities').leftJoin('persons', 'persons.id', 'identities.person_id')
    .select(['identities.platform_user_id as id', 'identities.locale as chat', 'persons.locale as person', 'identities.person_id as personId'])
    .where('identities.platform', '=', platform).where('identities.platform_user_id', 'in', [...platformUserIds]).execute();
  return new Map(rows.map((r) => [r.id, { person: r.person ?? null, chat: r.chat ?? null, personId: r.personId === null ? null : Number(r.personId) }]));
}

/** The stored dialog (JSON, what the bot waits for) of chat `platformUserId` on `platform`; null: none; undefined: unknown chat. */
export async function findChatDialog(db: Db, platform: Platform, platformUserId: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('identities').select('dialog')
    .where('platform', '=', platform).where('platform_user_id', '=', platformUserId).executeTakeFirst();
  return row?.dialog;
}

export async function setIdentityLocale(db: Db, identityId: number, locale: string, nowIso: string): Promise<void> {
  await db.updateTable('identities').set({ locale, updated_at: nowIso }).where('id', '=', identityId).execute();
}

export async function linkIdentity(db: Db, identityId: number, personId: number, nowIso: string): Promise<void> {
  await db.updateTable('identities').set({ person_id: personId, updated_at: nowIso }).where('id', '=', identityId).execute();
}

/** Makes `identityId` the person's one preferred identity for notifications. */
export async function setPreferredIdentity(db: Db, personId: number, identityId: number, nowIso: string): Promise<void> {
  await db.updateTable('identities').set({ preferred: 0, updated_at: nowIso })
    .where('person_id', '=', personId).where('id', '!=', identityId).where('preferred', '=', 1).execute();
  await db.updateTable('identities').set({ preferred: 1, updated_at: nowIso }).where('id', '=', identityId).execute();
}

/** True when the person chose a chat for notifications (`/prefer`, or the first one linked). */
export async function hasPreferredIdentity(db: Db, personId: number): Promise<boolean> {
  return (await db.selectFrom('identities').select('id').where('person_id', '=', personId).where('preferred', '=', 1).executeTakeFirst()) !== undefined;
}

/** The person's other identities not marked unreachable (any order). */
export async function listReachableIdentitiesExcept(db: Db, personId: number, exceptIdentityId: number): Promise<Identity[]> {
  return db.selectFrom('identities').selectAll()
    .where('person_id', '=', personId).where('id', '!=', exceptIdentityId).where('unreachable_at', 'is', null).execute();
}

/** Every identity of these persons (one query per `chunk` of ids, to stay under the databases' parameter limits). */
export async function listIdentitiesOfPersons(db: Db, personIds: readonly number[], chunk: number): Promise<Identity[]> {
  const rows: Identity[] = [];
  for (let i = 0; i < personIds.length; i += chunk) {
    rows.push(...await db.selectFrom('identities').selectAll().where('person_id', 'in', personIds.slice(i, i + chunk)).execute());
  }
  return rows;
}

/** The phone number of the person behind an identity, if both exist and one is known. */
export async function findPhoneOfIdentity(db: Db, identityId: number): Promise<string | null | undefined> {
  const row = await db.selectFrom('identities').innerJoin('persons', 'persons.id', 'identities.person_id')
    .select(['persons.phone']).where('identities.id', '=', identityId).executeTakeFirst();
  return row?.phone;
}
