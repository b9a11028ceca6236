import type { NotificationPrefsRow, NotifyChannel, PushKind } from '../../db/schema-push.js';
import { NOTIFY_CHANNELS, PUSH_KINDS } from '../../db/schema-push.js';
import { atLocalTime, DAY_MS, localTimeOfDayMs, parseClockTime, toLocalDate } from '../time/local.js';

/** A person's notification preferences as the page shows and edits them. */
export interface NotifyPrefs {
  /** Events that may push. */
  events: PushKind[];
  /** Quiet hours, local `HH:mm` (Asia/Ho_Chi_Minh), start inclusive, end exclusive; may wrap past midnight. Null: none. */
  quiet: { from: string; to: string } | null;
  /**
   * `both`: pushes and chat messages; `chat`: chat messages only, no push. There is no "push only":
   * the chat message is the record and carries the buttons that act on it, so it always goes (a
   * `push` stored or sent by an earlier page reads as `both`).
   */
  channel: Exclude<NotifyChannel, 'push'>;
}

/** No preferences stored: every event, no quiet hours, push and chat. */
export const DEFAULT_PREFS: NotifyPrefs = Object.freeze({ events: [...PUSH_KINDS], quiet: null, channel: 'both' }) as NotifyPrefs;

export function prefsFromRow(row: NotificationPrefsRow | undefined): NotifyPrefs {
  if (!row) return DEFAULT_PREFS;
  let events: PushKind[] = [...PUSH_KINDS];
  try {
    const parsed: unknown = JSON.parse(row.events);
    if (Array.isArray(parsed)) events = PUSH_KINDS.filter((k) => parsed.includes(k));
  } catch { /* a damaged row falls back to every event */ }
  const quiet = row.quiet_from && row.quiet_to ? { from: row.quiet_from, to: row.quiet_to } : null;
  return { events, quiet, channel: row.channel === 'chat' ? 'chat' : 'both' };
}

export function prefsToRow(personId: number, p: NotifyPrefs, nowIso: string): NotificationPrefsRow {
  return { person_id: personId, events: JSON.stringify(p.events), quiet_from: p.quiet?.from ?? null, quiet_to: p.quiet?.to ?? null, channel: p.channel, updated_at: nowIso };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Validates a body from the page; undefined when anything is malformed (the route answers 400). */
export function parsePrefs(body: Record<string, unknown>): NotifyPrefs | undefined {
  const { events, quiet, channel } = body;
  if (!Array.isArray(events) || !events.every((e) => typeof e === 'string' && (PUSH_KINDS as readonly string[]).includes(e))) return undefined;
  if (typeof channel !== 'string' || !(NOTIFY_CHANNELS as readonly string[]).includes(channel)) return undefined;
  let q: NotifyPrefs['quiet'] = null;
  if (quiet !== null && quiet !== undefined) {
    if (typeof quiet !== 'object') return undefined;
    const { from, to } = quiet as Record<string, unknown>;
    if (typeof from !== 'string' || typeof to !== 'string' || !HHMM.test(from) || !HHMM.test(to) || from === to) return undefined;
    q = { from, to };
  }
  return { events: PUSH_KINDS.filter((k) => events.includes(k)), quiet: q, channel: channel === 'chat' ? 'chat' : 'both' };
}

/** True when local time of `at` falls inside the quiet hours. */
export function inQuietHours(quiet: NotifyPrefs['quiet'], at: Date): boolean {
  if (!quiet) return false;
  const from = parseClockTime(quiet.from);
  const to = parseClockTime(quiet.to);
  if (from === null || to === null) return false;
  const minute = Math.floor(localTimeOfDayMs(at) / 60_000);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The first instant after `at` when the quiet hours end (their `to`, local time); `at` itself without quiet hours. */
export function quietEnd(quiet: NotifyPrefs['quiet'], at: Date): Date {
  if (!quiet || parseClockTime(quiet.to) === null) return at;
  const sameDay = atLocalTime(toLocalDate(at), quiet.to);
  return sameDay.getTime() > at.getTime() ? sameDay : new Date(sameDay.getTime() + DAY_MS);
}

/** What to do with a push event for this person now: `send`, or why not. */
export type PushDecision = 'send' | 'off' | 'quiet';

/** Event or channel turned off → `off`; quiet hours → `quiet`, unless the inquiry runs on a 24-hour legal deadline. */
export function decidePush(prefs: NotifyPrefs, event: { kind: PushKind; urgent: number }, at: Date): PushDecision {
  if (prefs.channel === 'chat' || !prefs.events.includes(event.kind)) return 'off';
  if (event.urgent !== 1 && inQuietHours(prefs.quiet, at)) return 'quiet';
  return 'send';
}
