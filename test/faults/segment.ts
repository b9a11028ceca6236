/**
 * One fault under load, and its accounting: the load runs, the fault is injected, the bot recovers,
 * the load runs on, then drains; what the fake platform recorded in that segment is compared,
 * message by message, with the outbox rows the segment created. Test code only.
 */
import { account } from '../helpers/crash-load.js';
import { asRowText } from './zalo-load.js';
import type { DbKind, FaultSession, OutboxView } from './session.js';

/** Bounds of issue #10. */
export const BOUNDS = {
  /** First message after recovery, in ms. */
  firstMessageMs: 5000,
  /** Lost Redis state reconciled, in ms. */
  reconcileMs: 60_000,
} as const;

/** What an injected fault reports back to the segment. */
export interface FaultMark {
  /** When the bot was back (its own log time where it logs one), in ms since the epoch. */
  recoveredAt: number;
  /** Sends in flight at the fault (claimed rows, or requests the platform carried out unanswered). */
  inFlight: number;
  /** Redis faults: ms from the fault (or the server's return) until the bot re-planned its jobs. */
  reconcileMs?: number;
  /** True when the fault kills the bot on purpose (its exit is not a failure). */
  killsTheBot?: boolean;
}

/** One row of the table. */
export interface FaultOutcome {
  fault: string;
  db: DbKind;
  /** Outbox rows the segment created (what the database says was to be sent). */
  sent: number;
  /** Messages the fake platforms accepted in the segment. */
  delivered: number;
  /** Of which through the Zalo OA (the rest through Telegram). */
  deliveredZalo: number;
  lost: number;
  duplicated: number;
  inFlight: number;
  /** Slowest chat that waited through the fault: its first message after recovery, in ms. */
  firstAfterMs: number | undefined;
  reconcileMs: number | undefined;
  /** The bot exited by itself during the segment. */
  exited: boolean;
  pass: boolean;
  /** Why it failed, when it did. */
  problems: string[];
}

export type Fault = (s: FaultSession) => Promise<FaultMark>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fault` under load after `warmupMs` (the random moment), lets the load run `afterMs` more,
 * drains, and accounts.
 */
export async function runSegment(s: FaultSession, name: string, fault: Fault, warmupMs: number, afterMs = 2000): Promise<FaultOutcome> {
  const fromId = await s.maxOutboxId();
  const fromSent = s.fake.sent.length;
  const fromOa = s.oa?.sent.length ?? 0;
  const exitsBefore = s.unexpectedExits;
  s.resumeLoad();
  await sleep(warmupMs);
  const t0 = Date.now();
  const mark = await fault(s);
  const t1 = Date.now();
  await sleep(afterMs);
  await s.drain();
  s.o.log(`${name}: fault and recovery ${t1 - t0} ms, drain ${Date.now() - t1 - afterMs} ms`);
  const rows = await s.readRows(fromId);
  const rowTexts = new Map<string, string[]>();
  for (const r of rows) rowTexts.set(r.chat_id, [...(rowTexts.get(r.chat_id) ?? []), r.text]);
  const sent = [...s.fake.sent.slice(fromSent), ...(s.oa?.sent.slice(fromOa) ?? []).map((m) => asRowText(m, rowTexts))];
  const result = account(rows.map((r) => ({ chat_id: r.chat_id, text: r.text, status: r.status })), sent, []);
  const firstAfterMs = firstMessageAfter(rows, mark.recoveredAt);
  if (process.env.FAULTS_DEBUG) describeSlowest(s, rows, mark.recoveredAt);
  const exited = s.unexpectedExits > exitsBefore;
  const problems: string[] = [];
  if (result.lost.length > 0) problems.push(`lost: ${result.lost.slice(0, 5).join(' | ')}`);
  if (result.duplicates > mark.inFlight) problems.push(`duplicates ${result.duplicates} > in flight ${mark.inFlight}: ${result.unexplained.slice(0, 5).join(' | ')}`);
  if (firstAfterMs !== undefined && firstAfterMs > BOUNDS.firstMessageMs) problems.push(`first message ${firstAfterMs} ms after recovery`);
  if (mark.reconcileMs !== undefined && mark.reconcileMs > BOUNDS.reconcileMs) problems.push(`reconciled after ${mark.reconcileMs} ms`);
  if (exited) problems.push('the bot exited by itself');
  if (s.load.state.refusals.length > 0) problems.push(`refused replies: ${s.load.state.refusals.length}`);
  if ((s.zalo?.refusals.length ?? 0) > 0) problems.push(`Zalo events refused: ${s.zalo!.refusals.slice(0, 3).join(' | ')}`);
  return {
    fault: name, db: s.o.db, sent: rows.length, delivered: sent.length, deliveredZalo: (s.oa?.sent.length ?? 0) - fromOa, lost: result.lost.length, duplicated: result.duplicates,
    inFlight: mark.inFlight, firstAfterMs, reconcileMs: mark.reconcileMs, exited, pass: problems.length === 0, problems,
  };
}

/**
 * For every chat that had a message waiting through the fault (created before the recovery, sent
 * after it), the time from the recovery to that chat's first message; the slowest chat counts. With
 * no such chat, the first message of any chat after the recovery. Bot timestamps only.
 */
export function firstMessageAfter(rows: readonly OutboxView[], recoveredAt: number): number | undefined {
  const after = rows.filter((r) => r.sentAt !== undefined && r.sentAt >= recoveredAt);
  if (after.length === 0) return undefined;
  const waited = new Set(after.filter((r) => r.createdAt < recoveredAt).map((r) => r.chat_id));
  const firstByChat = new Map<string, number>();
  for (const r of after) firstByChat.set(r.chat_id, Math.min(firstByChat.get(r.chat_id) ?? Infinity, r.sentAt!));
  const times = waited.size > 0 ? [...waited].map((c) => firstByChat.get(c)!) : [Math.min(...firstByChat.values())];
  return Math.max(0, Math.max(...times) - recoveredAt);
}

/** FAULTS_DEBUG: the rows of the slowest waiting chat around the recovery. */
function describeSlowest(s: FaultSession, rows: readonly OutboxView[], recoveredAt: number): void {
  const waited = rows.filter((r) => r.createdAt < recoveredAt && r.sentAt !== undefined && r.sentAt >= recoveredAt);
  const byChat = new Map<string, number>();
  for (const r of rows) if (r.sentAt !== undefined && r.sentAt >= recoveredAt) byChat.set(r.chat_id, Math.min(byChat.get(r.chat_id) ?? Infinity, r.sentAt));
  const slowest = [...new Set(waited.map((r) => r.chat_id))].sort((a, b) => byChat.get(b)! - byChat.get(a)!)[0];
  if (!slowest) return;
  const t = (ms: number | undefined) => (ms === undefined ? '-' : `${ms - recoveredAt}`);
  s.o.log(`slowest chat ${slowest}:\n${rows.filter((r) => r.chat_id === slowest).slice(0, 12)
    .map((r) => `#${r.id} created ${t(r.createdAt)} sent ${t(r.sentAt)} resent ${r.resent_in_flight}: ${r.text.slice(0, 60).replace(/\n/g, ' ')}`).join('\n')}`);
}
