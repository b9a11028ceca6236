import type { InboxChange } from '../../adapters/web/index.js';
import type { Db } from '../../db/client.js';
import { followsAmong } from '../../db/repositories/followers.js';
import { findChatsLocales } from '../../db/repositories/identities.js';
import { inboxChangesAfter, lastInboxChange, type InboxChangeRow } from '../../db/repositories/inbox-changes.js';
import { scopeOf, type InboxScope } from './scope.js';

/** Options of {@link createInboxFeed}. */
export interface InboxFeedOptions {
  db: Db;
  now(): Date;
  /** A person's roles are read again after this long, in ms. Default 30 000. */
  scopeTtlMs?: number;
  /**
   * How long a missing change id is waited for before it is passed over, in ms (PostgreSQL hands
   * out ids before commit, so a lower id can become visible after a higher one; a rolled-back
   * transaction leaves a gap for ever). Default 10 000.
   */
  gapWaitMs?: number;
}

/** Rows read per call; more are read by the next call (the next poll). */
const BATCH = 500;
/** Inquiry ids told per owner per event; more: the page reloads its lists either way. */
const MAX_IDS = 100;
/** Not asked for this long (no page open in this process): start again from the newest change, in ms. */
const IDLE_RESET_MS = 60_000;

/**
 * Reads `inbox_changes` (appended by triggers in the writers' transactions, in any process) after
 * this process's cursor, and says which open pages' inboxes each change concerns: the reporter's
 * own question; a question a reporter follows, and their following or unfollowing it (their
 * "Đang theo dõi" list); a spokesperson's agency (routed or suggested, the agency left by a
 * transfer too) or authorised case; a coordinator's scope, and, for coordinators, the
 * registrations; a thread read: its reader only (their other tabs' unread counts).
 */
export function createInboxFeed(o: InboxFeedOptions): (ownerIds: readonly string[]) => Promise<ReadonlyMap<string, InboxChange>> {
  const scopes = new Map<number, { scope: InboxScope; atMs: number }>();
  const seen = new Set<number>();
  let cursor: number | undefined;
  let gapSinceMs: number | undefined;
  let lastCallMs = 0;

  const scopeFor = async (personId: number, nowMs: number): Promise<InboxScope> => {
    const cached = scopes.get(personId);
    if (cached && nowMs - cached.atMs < (o.scopeTtlMs ?? 30_000)) return cached.scope;
    const scope = await scopeOf(o.db, personId, new Date(nowMs));
    scopes.set(personId, { scope, atMs: nowMs });
    return scope;
  };
  /** Everything up to the cursor was handled; ids above it already handled wait in `seen`. */
  const advance = (nowMs: number): void => {
    while (cursor !== undefined && seen.delete(cursor + 1)) cursor += 1;
    if (seen.size === 0) { gapSinceMs = undefined; return; }
    gapSinceMs ??= nowMs;
    if (nowMs - gapSinceMs >= (o.gapWaitMs ?? 10_000)) {
      cursor = Math.min(...seen) - 1;
      gapSinceMs = undefined;
      advance(nowMs);
    }
  };

  return async (ownerIds) => {
    const nowMs = o.now().getTime();
    const idle = nowMs - lastCallMs > IDLE_RESET_MS;
    lastCallMs = nowMs;
    // A page that opens loads its inbox itself: only what changes after that is news.
    if (cursor === undefined || idle) {
      cursor = await lastInboxChange(o.db);
      seen.clear();
      return new Map();
    }
    const rows = (await inboxChangesAfter(o.db, cursor, BATCH)).filter((r) => !seen.has(r.id));
    for (const r of rows) seen.add(r.id);
    advance(nowMs);
    if (rows.length === 0 || ownerIds.length === 0) return new Map();
    const people = await findChatsLocales(o.db, 'web', ownerIds);
    const persons = [...new Set([...people.values()].flatMap((p) => (p.personId === null ? [] : [p.personId])))];
    const follows = await followsAmong(o.db, persons, [...new Set(rows.flatMap((r) => (r.inquiryId === null ? [] : [r.inquiryId])))]);
    const out = new Map<string, InboxChange>();
    for (const [ownerId, { personId }] of people) {
      if (personId === null) continue;
      const change = concerning(await scopeFor(personId, nowMs), rows, follows);
      if (change) out.set(ownerId, change);
    }
    return out;
  };
}

/** The part of `rows` in `scope`'s inbox, if any; `follows`: `<personId>:<inquiryId>` of the people's follows now. */
function concerning(scope: InboxScope, rows: readonly InboxChangeRow[], follows: ReadonlySet<string>): InboxChange | undefined {
  const ids = new Set<number>();
  const read = new Set<number>();
  let registrations = false;
  for (const r of rows) {
    // A read marker moved: only its reader's pages care (their unread counts).
    if (r.readerPersonId !== null) { if (r.readerPersonId === scope.personId && r.inquiryId !== null) read.add(r.inquiryId); continue; }
    // Followed or unfollowed: only that person's lists change.
    if (r.followerPersonId !== null) { if (r.followerPersonId === scope.personId && r.inquiryId !== null) ids.add(r.inquiryId); continue; }
    if (r.inquiryId === null) { registrations ||= scope.coordinates !== undefined; continue; }
    if (inScope(scope, r) || (scope.isReporter && follows.has(`${scope.personId}:${r.inquiryId}`))) ids.add(r.inquiryId);
  }
  if (ids.size === 0 && !registrations && read.size === 0) return undefined;
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b).slice(0, MAX_IDS);
  return { inquiries: sorted(ids), registrations, ...(read.size > 0 ? { read: sorted(read) } : {}) };
}

/** The same scopes the inbox's lists use (`src/inbox/api.ts`). */
function inScope(scope: InboxScope, r: InboxChangeRow): boolean {
  if (scope.isReporter && r.reporterPersonId === scope.personId) return true;
  const agency = r.agencyId ?? 0;
  if (scope.speaks && (scope.speaks.agencyIds.includes(agency) || scope.speaks.caseIds.includes(r.inquiryId!))) return true;
  return scope.coordinates !== undefined && (scope.coordinates === null || scope.coordinates.includes(agency));
}
