import type { PageEvents } from '../../adapters/web/index.js';
import type { Db } from '../../db/client.js';
import { languagesOfChats } from '../../flows/status/language.js';
import { createInboxFeed } from './inbox-feed.js';

/** Options of {@link createPageEvents}. */
export interface PageEventsOptions {
  db: Db;
  defaultLocale: 'vi' | 'en';
  now(): Date;
}

/**
 * The web page's stream events beyond its timeline (issue #14), read from the database on every
 * poll of the open streams, so a change committed in any process reaches the page: the person's
 * language (one setting for every channel, changed by `/lang` anywhere or the page's button), and
 * which of their inboxes changed (`inbox-feed.ts`).
 */
export function createPageEvents(o: PageEventsOptions): PageEvents {
  return {
    languages: (ownerIds) => languagesOfChats(o.db, 'web', ownerIds, o.defaultLocale),
    inboxChanges: createInboxFeed({ db: o.db, now: o.now }),
  };
}
