/**
 * A steady load of inquiries through the fake Bot API, played by reporters and one spokesperson
 * who react to what the bot sends (press the topic, press "Gửi", answer every notification by
 * replying to it), and the bookkeeping that compares, message by message, what reached the fake
 * with the outbox rows behind it. Used by the kill -9 tests. Test code only.
 */
import type { FakeTelegram, FakeUser, SentRecord } from '../fakes/telegram-bot-api.js';
import { findButton, type SentWatch } from '../bench/sent-watch.js';

const TOKEN = /\[tok:([a-z0-9-]+)\]/;
const CODE = /Q-\d+/;

/** What the load driver saw and did. */
export interface LoadState {
  /** Questions asked, by token: who asked (a Telegram user, or a Zalo user id). */
  readonly asked: Map<string, { id: number | string }>;
  /** Inquiry code by token, from the spokesperson's notification. */
  readonly codes: Map<string, string>;
  /** Tokens whose answer reached the reporter. */
  readonly answered: Set<string>;
  /** Replies the spokesperson deferred while a send was being held (answered after the restart). */
  readonly deferred: SentRecord[];
  /** Refusals ("không có quyền") sent to the spokesperson. */
  readonly refusals: SentRecord[];
}

/** Plays reporters and a spokesperson against the bot; see the module comment. */
export class InquiryLoad {
  readonly state: LoadState = { asked: new Map(), codes: new Map(), answered: new Set(), deferred: [], refusals: [] };
  /** New questions are asked while true. */
  running = true;
  /** While true, the spokesperson keeps notifications for later instead of answering at once. */
  deferReplies = false;
  private readonly seen = new Set<string>();
  private readonly step = new Map<number, { token: string; stage: 'topic' | 'confirm' | 'accepted' }>();
  private seq = 0;

  constructor(private readonly fake: FakeTelegram, watch: SentWatch, private readonly reporters: readonly FakeUser[],
    private readonly spokesperson: FakeUser, private readonly pauseMs: number) {
    watch.onRecord((sent) => this.onSent(sent));
  }

  /** Each reporter asks a first question (the rest follow from the bot's messages). */
  start(): void {
    for (const r of this.reporters) this.ask(r);
  }

  /** The spokesperson answers `notice` by replying to that very message. */
  answer(notice: SentRecord): void {
    const token = TOKEN.exec(notice.text)?.[1];
    if (!token) return;
    this.fake.userSends(this.spokesperson, `Trả lời [tok:${token}]: số liệu đã được cập nhật trên cổng thông tin.`, { replyTo: notice.messageId });
  }

  /** Every asked question was answered. */
  allAnswered(): boolean {
    return [...this.state.asked.keys()].every((t) => this.state.answered.has(t));
  }

  private ask(reporter: FakeUser): void {
    const token = `r${reporter.id % 1000}-${++this.seq}`;
    this.state.asked.set(token, reporter);
    this.step.set(reporter.id, { token, stage: 'topic' });
    this.fake.userSends(reporter, `Xin cho biết số ca sốt xuất huyết tuần này tại phường? [tok:${token}]`);
  }

  /** A reporter walks one question at a time: topic, then "Gửi", then the next question once accepted. */
  private onReporter(reporter: FakeUser, sent: SentRecord): void {
    const token = TOKEN.exec(sent.text)?.[1];
    if (token && sent.text.includes('Trả lời câu hỏi')) return void this.state.answered.add(token);
    const step = this.step.get(reporter.id);
    if (!step) return;
    const topic = findButton(sent, 'Y tế');
    if (step.stage === 'topic' && topic && token === step.token) {
      step.stage = 'confirm';
      return void this.fake.userPresses(reporter, sent.messageId, topic.callback_data);
    }
    const send = findButton(sent, 'Gửi');
    if (step.stage === 'confirm' && send) {
      step.stage = 'accepted';
      return void this.fake.userPresses(reporter, sent.messageId, send.callback_data);
    }
    if (step.stage === 'accepted' && sent.text.startsWith('Đã tiếp nhận câu hỏi')) {
      this.step.delete(reporter.id);
      if (this.running) setTimeout(() => { if (this.running) this.ask(reporter); }, this.pauseMs);
    }
  }

  private onSent(sent: SentRecord): void {
    if (sent.chatId === this.spokesperson.id) {
      if (sent.text.includes('không có quyền')) return void this.state.refusals.push(sent);
      // Every preview of an answer is confirmed at once, a repeat too (answering two copies of a
      // notification gives two previews of the same text; the newer draft replaces the older).
      const confirm = findButton(sent, 'Gửi câu trả lời');
      if (confirm) return void this.fake.userPresses(this.spokesperson, sent.messageId, confirm.callback_data);
      // Notifications carry the question's token: answer the first copy only (a repeat is what the test counts).
      const key = `${sent.chatId}\u0000${sent.text}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      return this.onSpokesperson(sent);
    }
    const reporter = this.reporters.find((r) => r.id === sent.chatId);
    if (reporter) this.onReporter(reporter, sent);
  }

  private onSpokesperson(sent: SentRecord): void {
    const token = TOKEN.exec(sent.text)?.[1];
    const code = CODE.exec(sent.text)?.[0];
    if (!token || !code || sent.text.startsWith('Đã gửi câu trả lời') || sent.text.includes('CHƯA GỬI')) return;
    this.state.codes.set(token, code);
    if (this.deferReplies) this.state.deferred.push(sent);
    else this.answer(sent);
  }
}

/** One outbox row as the accounting needs it. */
export interface RowView {
  chat_id: string;
  text: string;
  status: string;
}

/** Messages per `chat + text`. */
export type Tally = Map<string, number>;

export function keyOf(chatId: string | number, text: string): string {
  return `${chatId}\u0000${text}`;
}

/** A message a fake platform accepted, as the accounting compares it. */
export interface Delivered {
  chatId: string | number;
  text: string;
}

export function tallySent(sent: readonly Delivered[]): Tally {
  const t: Tally = new Map();
  for (const s of sent) t.set(keyOf(s.chatId, s.text), (t.get(keyOf(s.chatId, s.text)) ?? 0) + 1);
  return t;
}

export function tallyRows(rows: readonly RowView[], status?: string): Tally {
  const t: Tally = new Map();
  for (const r of rows) if (status === undefined || r.status === status) t.set(keyOf(r.chat_id, r.text), (t.get(keyOf(r.chat_id, r.text)) ?? 0) + 1);
  return t;
}

/**
 * Sends in flight at a kill, seen from outside: messages the platform had accepted whose row was
 * not yet recorded as sent when the process died (per message key).
 */
export function inFlightAtKill(deliveredBeforeKill: readonly SentRecord[], rowsAtKill: readonly RowView[]): Tally {
  const delivered = tallySent(deliveredBeforeKill);
  const recorded = tallyRows(rowsAtKill, 'sent');
  const inFlight: Tally = new Map();
  for (const [key, n] of delivered) {
    const extra = n - (recorded.get(key) ?? 0);
    if (extra > 0) inFlight.set(key, extra);
  }
  return inFlight;
}

/** The final count: per message key, deliveries beyond its rows, and rows never delivered. */
export interface Accounting {
  rows: number;
  delivered: number;
  lost: string[];
  duplicates: number;
  inFlight: number;
  /** Keys repeated more often than sends were in flight for them. */
  unexplained: string[];
}

export function account(rows: readonly RowView[], sent: readonly Delivered[], inFlight: readonly Tally[]): Accounting {
  const delivered = tallySent(sent);
  const expected = tallyRows(rows);
  const lost: string[] = [];
  const unexplained: string[] = [];
  let duplicates = 0;
  for (const [key, n] of expected) if ((delivered.get(key) ?? 0) < n) lost.push(key);
  for (const r of rows) if (r.status !== 'sent') lost.push(`${keyOf(r.chat_id, r.text)} (${r.status})`);
  for (const [key, n] of delivered) {
    const extra = n - (expected.get(key) ?? 0);
    if (extra <= 0) continue;
    duplicates += extra;
    const allowed = inFlight.reduce((sum, t) => sum + (t.get(key) ?? 0), 0);
    if (extra > allowed) unexplained.push(`${key.replace('\u0000', ' ')} ×${n} (in flight ${allowed})`);
  }
  const inFlightTotal = inFlight.reduce((sum, t) => sum + [...t.values()].reduce((a, b) => a + b, 0), 0);
  return { rows: rows.length, delivered: sent.length, lost, duplicates, inFlight: inFlightTotal, unexplained };
}
