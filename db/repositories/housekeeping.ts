import type { Db } from '../client.js';

/** How long each kind of short-lived record is kept, in ms. */
export interface Retention {
  /** Numbered-choice menus (a reply by number is read for 7 days). */
  choiceMenusMs: number;
  /** One-time link and sign-in codes after they expired. */
  linkCodesMs: number;
  /** Processed inbound events: long enough to recognise a platform's redelivery, not longer (they hold message texts). */
  inboundEventsMs: number;
  /** Web chat timelines (both sides' texts), by message age. */
  webMessagesMs: number;
  /** Answer drafts never confirmed (they expire unsent); absent: kept. */
  answerDraftsMs?: number;
  /** "Inbox changed" marks, read by the web pages' streams within seconds; absent: kept. */
  inboxChangesMs?: number;
}

/** Rows removed per kind. */
export interface Pruned {
  choiceMenus: number;
  linkCodes: number;
  inboundEvents: number;
  webMessages: number;
  /** Present when `answerDraftsMs` was given. */
  answerDrafts?: number;
  /** Present when `inboxChangesMs` was given. */
  inboxChanges?: number;
}

/**
 * Deletes records that served their purpose: old numbered-choice menus, expired one-time codes,
 * processed inbound events past the redelivery horizon (failed ones stay for inspection), web
 * timeline entries past their retention, and answer drafts that expired unconfirmed.
 */
export async function pruneExpired(db: Db, now: Date, r: Retention): Promise<Pruned> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const menus = await db.deleteFrom('choice_menus').where('created_at', '<', before(r.choiceMenusMs)).executeTakeFirst();
  const codes = await db.deleteFrom('link_codes').where('expires_at', '<', before(r.linkCodesMs)).executeTakeFirst();
  const events = await db.deleteFrom('inbound_events').where('status', '=', 'done').where('received_at', '<', before(r.inboundEventsMs)).executeTakeFirst();
  const web = await pruneWebMessages(db, before(r.webMessagesMs));
  // Clear texts of codes are erased within a minute by the web process; this is the backstop.
  await db.updateTable('web_messages').set({ reveal_text: null, reveal_until: null }).where('reveal_until', '<=', now.toISOString()).execute();
  const drafts = r.answerDraftsMs === undefined ? undefined : await db.deleteFrom('answer_drafts').where('created_at', '<', before(r.answerDraftsMs)).executeTakeFirst();
  const marks = r.inboxChangesMs === undefined ? undefined : await db.deleteFrom('inbox_changes').where('at', '<', before(r.inboxChangesMs)).executeTakeFirst();
  return {
    choiceMenus: Number(menus.numDeletedRows), linkCodes: Number(codes.numDeletedRows), inboundEvents: Number(events.numDeletedRows), webMessages: web,
    ...(drafts ? { answerDrafts: Number(drafts.numDeletedRows) } : {}),
    ...(marks ? { inboxChanges: Number(marks.numDeletedRows) } : {}),
  };
}

/**
 * Deletes web timeline entries older than `cutoffIso`, except each chat's newest entry and its
 * latest change: message ids and change numbers continue from them, so an id is never reused (a
 * reply to a reused id would reach the wrong inquiry) and open pages' cursors stay valid.
 */
async function pruneWebMessages(db: Db, cutoffIso: string): Promise<number> {
  const r = await db.deleteFrom('web_messages').where('created_at', '<', cutoffIso)
    .where('seq', '<', (eb) => eb.selectFrom('web_messages as newest').select((e) => e.fn.max('newest.seq').as('m')).whereRef('newest.chat_id', '=', 'web_messages.chat_id'))
    .where('rev', '<', (eb) => eb.selectFrom('web_messages as latest').select((e) => e.fn.max('latest.rev').as('m')).whereRef('latest.chat_id', '=', 'web_messages.chat_id'))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
