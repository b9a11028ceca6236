import type { Button } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { Identity, WebMessagesTable } from '../schema.js';
import type { Selectable } from 'kysely';

/** A stored web session (the shape the web adapter's `WebStore` expects). */
export interface WebSessionRow {
  tokenHash: string;
  ownerId: string;
  languageCode: string | null;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
}

/** A web chat message (the web adapter's `TimelineEntry`). */
export interface WebMessageView {
  id: string;
  rev: string;
  from: 'user' | 'bot';
  text: string;
  replyTo?: string;
  buttons?: Button[][];
  at: string;
  editedAt?: string;
  /** Files the entry carries (the page downloads each through the session's own route). */
  files?: WebFileView[];
}

/** A file as the web timeline shows it. */
export interface WebFileView {
  id: string;
  name: string;
  mimeType: string;
  sizeBytes: number;
  kind: string;
}

/** A message to append (the web adapter's `NewTimelineEntry`). */
export interface NewWebMessage {
  chatId: string;
  from: 'user' | 'bot';
  text: string;
  replyTo?: string;
  buttons?: Button[][];
  clientId?: string;
  at: string;
  /** The clear text when `text` has a credential masked: shown until `revealUntil` (ISO-8601 UTC), then erased. */
  revealText?: string;
  revealUntil?: string;
  files?: WebFileView[];
}

/** Attempts at taking the chat's next id before giving up (each loses only to a concurrent insert). */
const APPEND_ATTEMPTS = 8;

const toView = (r: Selectable<WebMessagesTable>): WebMessageView => ({
  id: String(r.seq), rev: String(r.rev), from: r.sender, text: r.reveal_text ?? r.text, at: r.created_at,
  ...(r.reply_to === null ? {} : { replyTo: r.reply_to }),
  ...(r.buttons === null ? {} : { buttons: JSON.parse(r.buttons) as Button[][] }),
  ...(r.edited_at === null ? {} : { editedAt: r.edited_at }),
  ...(r.files ? { files: JSON.parse(r.files) as WebFileView[] } : {}),
});

/**
 * The web channel's store over the database (passed to the web adapter by the composition root).
 * Every call is its own statement on `db`: the adapter runs outside flow transactions.
 */
export function createWebStore(db: Db) {
  const byClient = (chatId: string, clientId: string) => db.selectFrom('web_messages').selectAll()
    .where('chat_id', '=', chatId).where('client_id', '=', clientId).executeTakeFirst();
  return {
    async insertSession(s: WebSessionRow): Promise<void> {
      await db.insertInto('web_sessions').values({
        token_hash: s.tokenHash, owner_id: s.ownerId, language_code: s.languageCode, created_at: s.createdAt,
        last_seen_at: s.lastSeenAt, idle_expires_at: s.idleExpiresAt, expires_at: s.expiresAt,
      }).execute();
    },
    async findSession(tokenHash: string): Promise<WebSessionRow | undefined> {
      const r = await db.selectFrom('web_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && {
        tokenHash: r.token_hash, ownerId: r.owner_id, languageCode: r.language_code, createdAt: r.created_at,
        lastSeenAt: r.last_seen_at, idleExpiresAt: r.idle_expires_at, expiresAt: r.expires_at,
      };
    },
    async touchSession(tokenHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
      await db.updateTable('web_sessions').set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt })
        .where('token_hash', '=', tokenHash).execute();
    },
    async deleteSession(tokenHash: string): Promise<void> {
      await db.deleteFrom('web_sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteExpiredSessions(nowIso: string): Promise<void> {
      await db.deleteFrom('web_sessions').where((eb) => eb.or([eb('idle_expires_at', '<=', nowIso), eb('expires_at', '<=', nowIso)])).execute();
    },
    async liveSessionHashes(tokenHashes: readonly string[], nowIso: string): Promise<string[]> {
      if (tokenHashes.length === 0) return [];
      const rows = await db.selectFrom('web_sessions').select('token_hash').where('token_hash', 'in', [...tokenHashes])
        .where('idle_expires_at', '>', nowIso).where('expires_at', '>', nowIso).execute();
      return rows.map((r) => r.token_hash);
    },
    async hasLiveSession(ownerId: string, nowIso: string): Promise<boolean> {
      const r = await db.selectFrom('web_sessions').select('token_hash').where('owner_id', '=', ownerId)
        .where('idle_expires_at', '>', nowIso).where('expires_at', '>', nowIso).executeTakeFirst();
      return r !== undefined;
    },
    async appendMessage(m: NewWebMessage): Promise<{ entry: WebMessageView; created: boolean }> {
      for (let attempt = 1; ; attempt += 1) {
        const existing = m.clientId === undefined ? undefined : await byClient(m.chatId, m.clientId);
        if (existing) return { entry: toView(existing), created: false };
        const last = await db.selectFrom('web_messages').select((eb) => [eb.fn.max('seq').as('seq'), eb.fn.max('rev').as('rev')])
          .where('chat_id', '=', m.chatId).executeTakeFirst();
        const row = {
          chat_id: m.chatId, seq: Number(last?.seq ?? 0) + 1, rev: Number(last?.rev ?? 0) + 1, sender: m.from, text: m.text,
          reply_to: m.replyTo ?? null, buttons: m.buttons ? JSON.stringify(m.buttons) : null, client_id: m.clientId ?? null,
          created_at: m.at, edited_at: null, reveal_text: m.revealText ?? null, reveal_until: m.revealText === undefined ? null : m.revealUntil ?? m.at,
          files: m.files?.length ? JSON.stringify(m.files) : null,
        };
        try {
          // A concurrent append took this id (or this client id): the unique keys refuse; read again.
          await db.insertInto('web_messages').values(row).execute();
          return { entry: toView(row), created: true };
        } catch (err) {
          if (attempt >= APPEND_ATTEMPTS) throw err;
        }
      }
    },
    /** Replaces a bot message's text and buttons, giving it the chat's next `rev`; undefined when there is none. */
    async editMessage(chatId: string, id: string, change: { text: string; buttons?: Button[][]; at: string; buttonsOnly?: boolean }): Promise<WebMessageView | undefined> {
      const seq = Number(id);
      if (!Number.isSafeInteger(seq)) return undefined;
      for (let attempt = 1; ; attempt += 1) {
        const last = await db.selectFrom('web_messages').select((eb) => eb.fn.max('rev').as('rev')).where('chat_id', '=', chatId).executeTakeFirst();
        try {
          const r = await db.updateTable('web_messages')
            .set({ text: change.text, buttons: change.buttons ? JSON.stringify(change.buttons) : null, rev: Number(last?.rev ?? 0) + 1, ...(change.buttonsOnly ? {} : { edited_at: change.at }) })
            .where('chat_id', '=', chatId).where('seq', '=', seq).where('sender', '=', 'bot').executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) return undefined;
          const row = await db.selectFrom('web_messages').selectAll().where('chat_id', '=', chatId).where('seq', '=', seq).executeTakeFirstOrThrow();
          return toView(row);
        } catch (err) {
          if (attempt >= APPEND_ATTEMPTS) throw err;
        }
      }
    },
    /** Entries appended or edited after change number `afterRev`, in change order. */
    async listChanges(chatId: string, afterRev: number, limit: number): Promise<WebMessageView[]> {
      const rows = await db.selectFrom('web_messages').selectAll().where('chat_id', '=', chatId).where('rev', '>', afterRev)
        .orderBy('rev').limit(limit).execute();
      return rows.map(toView);
    },
    /** Erases the clear text of entries whose reveal time has come: only the masked text is left. */
    async eraseExpiredReveals(nowIso: string): Promise<number> {
      const r = await db.updateTable('web_messages').set({ reveal_text: null, reveal_until: null }).where('reveal_until', '<=', nowIso).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async lastRev(chatId: string): Promise<number> {
      const r = await db.selectFrom('web_messages').select((eb) => eb.fn.max('rev').as('n')).where('chat_id', '=', chatId).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async listMessages(chatId: string, afterId: number, limit: number): Promise<WebMessageView[]> {
      const rows = await db.selectFrom('web_messages').selectAll().where('chat_id', '=', chatId).where('seq', '>', afterId)
        .orderBy('seq').limit(limit).execute();
      return rows.map(toView);
    },
    async latestMessages(chatId: string, limit: number): Promise<WebMessageView[]> {
      const rows = await db.selectFrom('web_messages').selectAll().where('chat_id', '=', chatId).orderBy('seq', 'desc').limit(limit).execute();
      return rows.reverse().map(toView);
    },
    async messagesBefore(chatId: string, beforeId: number, limit: number): Promise<WebMessageView[]> {
      const rows = await db.selectFrom('web_messages').selectAll().where('chat_id', '=', chatId).where('seq', '<', beforeId).orderBy('seq', 'desc').limit(limit).execute();
      return rows.reverse().map(toView);
    },
    async findMessage(chatId: string, id: string): Promise<WebMessageView | undefined> {
      const seq = Number(id);
      if (!Number.isSafeInteger(seq)) return undefined;
      const r = await db.selectFrom('web_messages').selectAll().where('chat_id', '=', chatId).where('seq', '=', seq).executeTakeFirst();
      return r && toView(r);
    },
  };
}

/**
 * A code was used (or typed): timeline entries that still show it in clear keep only their masked
 * text from now on. `shown` is the code as the bot wrote it (`ABCD-EFGH`).
 */
export async function eraseRevealedCode(db: Db, shown: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]+$/.test(shown)) return;
  await db.updateTable('web_messages').set({ reveal_text: null, reveal_until: null })
    .where('reveal_until', 'is not', null).where('reveal_text', 'like', `%${shown}%`).execute();
}

/** The person's most recently active web identity, if any. */
export async function findWebIdentityOf(db: Db, personId: number): Promise<Identity | undefined> {
  return db.selectFrom('identities').selectAll().where('platform', '=', 'web').where('person_id', '=', personId)
    .orderBy((eb) => eb.fn.coalesce('last_inbound_at', 'created_at'), 'desc').orderBy('id', 'desc').executeTakeFirst();
}

/** Creates a web identity (platform user id = chat id = `ownerId`) already linked to the person. */
export async function insertWebIdentity(db: Db, ownerId: string, personId: number, locale: string | null, nowIso: string): Promise<Identity> {
  await db.insertInto('identities').values({
    platform: 'web', platform_user_id: ownerId, chat_id: ownerId, person_id: personId, display_name: null, locale, dialog: null,
    unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: nowIso, updated_at: nowIso,
  }).execute();
  return db.selectFrom('identities').selectAll().where('platform', '=', 'web').where('platform_user_id', '=', ownerId).executeTakeFirstOrThrow();
}

/** The person with this directory code, compared without regard to case. */
export async function findPersonByCode(db: Db, code: string) {
  return db.selectFrom('persons').selectAll().where((eb) => eb(eb.fn('upper', ['code']), '=', code.toUpperCase())).orderBy('id').executeTakeFirst();
}

/** People whose stored (compact) phone is one of `phones`. */
export async function findPersonsByPhone(db: Db, phones: readonly string[]) {
  if (phones.length === 0) return [];
  return db.selectFrom('persons').selectAll().where('phone', 'in', [...phones]).execute();
}

/** The person's chat identities on platforms other than the web, the preferred one first, then the most recently active. */
export async function findChatIdentitiesOf(db: Db, personId: number): Promise<Identity[]> {
  return db.selectFrom('identities').selectAll().where('person_id', '=', personId).where('platform', '!=', 'web')
    .where('unreachable_at', 'is', null)
    .orderBy('preferred', 'desc').orderBy((eb) => eb.fn.coalesce('last_inbound_at', 'created_at'), 'desc').orderBy('id', 'desc').execute();
}
