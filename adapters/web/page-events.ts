/**
 * What an open page's event stream carries besides its chat timeline (issue #14, the workspace):
 * the person's language, so a tab kept open follows a change made in any chat or process, and
 * "your inbox changed", so the inbox and an open thread refresh on their own event. Both are read
 * from the database on every poll of the streams (as the timeline is), so a change committed by
 * another process (a worker, another web process) reaches the page within one poll.
 */
export interface PageEvents {
  /** The language the bot speaks to each of `ownerIds` (web chat ids) now; an owner left out is not told. */
  languages(ownerIds: readonly string[]): Promise<ReadonlyMap<string, 'vi' | 'en'>>;
  /**
   * What changed in the inboxes of `ownerIds` since the previous call (the first call only sets
   * the starting point): per owner concerned, the ids of the inquiries whose row or thread changed
   * (new, status, due time, agency, a new entry or deadline event), and whether the reporter
   * registrations waiting for verification changed. Owners not concerned are left out.
   */
  inboxChanges?(ownerIds: readonly string[]): Promise<ReadonlyMap<string, InboxChange>>;
}

/** One owner's inbox change, as the page receives it (`event: inbox`). */
export interface InboxChange {
  /** Inquiry ids, ascending, at most 100 (more: the page reloads its lists either way). */
  inquiries: number[];
  registrations: boolean;
  /**
   * Inquiries whose thread the person read (in any tab, device or process), ascending, at most 100;
   * absent when none. The page reloads its unread counts, not the open thread.
   */
  read?: number[];
}

/** `event: language`: the person's language is now `language`; the page shows itself in it. No `id:`, so a reconnect's Last-Event-ID stays the timeline's. */
export const toSseLanguage = (language: 'vi' | 'en'): string => `event: language\ndata: ${JSON.stringify({ language })}\n\n`;

/** `event: inbox`: the page reloads its lists, and the open thread when it is among `inquiries`. */
export const toSseInbox = (change: InboxChange): string => `event: inbox\ndata: ${JSON.stringify(change)}\n\n`;
