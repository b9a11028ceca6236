import type { DeadlineCopy, DeadlineView } from './deadline-types.js';
import { excerpt, formatDueTime, formatTimeLeft } from './format.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function unit(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 days 3 hours": the two largest non-zero units, whole minutes at least. */
function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return 'less than a minute';
  const parts = [
    [Math.floor(abs / DAY_MS), 'day'], [Math.floor((abs % DAY_MS) / HOUR_MS), 'hour'], [Math.floor((abs % HOUR_MS) / MINUTE_MS), 'minute'],
  ] as const;
  const first = parts.findIndex(([n]) => n > 0);
  return parts.slice(first, first + 2).filter(([n]) => n > 0).map(([n, u]) => unit(n, u)).join(' ');
}

function body(v: DeadlineView): string {
  return `Agency: ${v.orgName}\nQuestion: “${excerpt(v.question, 200)}”`;
}

/** "5 hours left" / "due now" / "overdue by 2 hours". */
function standing(v: DeadlineView): string {
  const left = formatTimeLeft(v.dueAt, new Date(new Date(v.dueAt).getTime() + v.lateMs), 'en', v.isWorkingDay);
  if (v.lateMs > 0) return `is ${left}`;
  return v.lateMs > -MINUTE_MS ? 'is due now' : `has ${left}`;
}

const RUNG_GREETING: Record<string, string> = {
  head: 'To the head of agency',
  coordinator: 'To the coordinating office',
  leader: 'To the network leader',
};

/** Reminders and escalations in English. */
export const deadlineEn: DeadlineCopy = {
  reminder: (v, percent) => percent >= 100
    ? `⏰ Inquiry ${v.code} ${v.lateMs > MINUTE_MS ? standing(v) : 'is due now'} (due ${formatDueTime(v.dueAt, 'en')}).\n${body(v)}\n\nPlease answer now (reply to this message), or request an extension with a reason.`
    : `⏰ Reminder: ${percent}% of the legal time for inquiry ${v.code} has passed; it ${standing(v)} (due ${formatDueTime(v.dueAt, 'en')}).\n${body(v)}\n\nPlease answer soon (reply to this message).`,
  overdue: (v) => `⚠️ Inquiry ${v.code} ${standing(v)} (due ${formatDueTime(v.dueAt, 'en')}).\n${body(v)}\n\nPlease answer now, or request an extension with a reason.`,
  escalation: (v, rung) => `${RUNG_GREETING[rung] ?? 'For your attention'}: press inquiry ${v.code} ${standing(v)} (due ${formatDueTime(v.dueAt, 'en')}).\n${body(v)}\nAssigned spokesperson: ${v.assignee ?? 'nobody has taken it yet'}\n\nPlease see that it is answered as the rules require.`,
  btnWorking: 'Working on it',
  btnExtend: 'Request extension',
  btnTransfer: 'Transfer',
  duration,
};
