import type { Db } from '../client.js';

/** How long each kind of short-lived record is kept, in ms. */
export interface Retention {
  /** Numbered-choice menus (a reply by number is read for 7 days). */
  choiceMenusMs: number;
  /** One-time link and sign-in codes after they expired. */
  linkCodesMs: number;
  /** Processed inbound events: long enough to recognise a platform's redelivery, not longer (they hold message texts). */
  inboundEventsMs: number;
}

/** Rows removed per kind. */
export interface Pruned {
  choiceMenus: number;
  linkCodes: number;
  inboundEvents: number;
}

/**
 * Deletes records that served their purpose: old numbered-choice menus, expired one-time codes,
 * and processed inbound events past the redelivery horizon (failed ones stay for inspection).
 */
export async function pruneExpired(db: Db, now: Date, r: Retention): Promise<Pruned> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const menus = await db.deleteFrom('choice_menus').where('created_at', '<', before(r.choiceMenusMs)).executeTakeFirst();
  const codes = await db.deleteFrom('link_codes').where('expires_at', '<', before(r.linkCodesMs)).executeTakeFirst();
  const events = await db.deleteFrom('inbound_events').where('status', '=', 'done').where('received_at', '<', before(r.inboundEventsMs)).executeTakeFirst();
  return { choiceMenus: Number(menus.numDeletedRows), linkCodes: Number(codes.numDeletedRows), inboundEvents: Number(events.numDeletedRows) };
}
