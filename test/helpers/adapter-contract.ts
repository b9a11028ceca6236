import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RateLimitError, TransientError, UnreachableError,
  type Button, type ButtonEvent, type ChatAdapter, type CommandEvent, type InboundEvent, type MessageEvent,
} from '../../adapters/types.js';

/** A message the fake platform accepted from the bot, in platform-neutral terms. */
export interface SentView {
  messageId: string;
  text: string;
  /** The message id it replies to, when the platform threaded it. */
  replyTo?: string;
  buttons?: Button[][];
}

/** The failures a fake platform can script for the next send to one chat. */
export type SendFailureKind = 'rate_limit' | 'blocked' | 'not_found' | 'server_error';

/**
 * One started adapter wired to a fake platform. User ids the contract passes are decimal digit
 * strings (`'1001'`); a harness maps them to its platform's ids and private chats.
 */
export interface ContractHarness {
  /** Already started; every event it produced is in {@link events}. */
  adapter: ChatAdapter;
  events: InboundEvent[];
  /** Resolves with the first event (already received or future) matching `predicate`. */
  waitForEvent<T extends InboundEvent>(predicate: (event: InboundEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitForEvent(predicate: (event: InboundEvent) => boolean, timeoutMs?: number): Promise<InboundEvent>;
  /** The user writes `text` to the bot, optionally replying to message `replyTo`. */
  userMessage(userId: string, text: string, replyTo?: string): Promise<{ messageId: string }>;
  /** The user sends the command `command` (without `/`) with `args`. */
  userCommand(userId: string, command: string, args: string): Promise<{ messageId: string }>;
  /** The user presses the button `action`/`payload` of the bot's message `messageId`. */
  userPress(userId: string, messageId: string, action: string, payload: string): Promise<void>;
  /** Everything the platform accepted for `chatId`, in order. */
  sentTo(chatId: string): SentView[];
  /** The next send to `chatId` fails the given way; `retryAfterMs` for `rate_limit`. */
  failNextSend(chatId: string, kind: SendFailureKind, retryAfterMs?: number): void;
  teardown(): Promise<void>;
}

/** An event sink for harnesses: pass `onEvent` to `adapter.start`. */
export interface EventCollector {
  events: InboundEvent[];
  onEvent: (event: InboundEvent) => Promise<void>;
  waitForEvent: ContractHarness['waitForEvent'];
}

/** Collects events and lets tests wait for one without sleeping. Default wait 5000 ms. */
export function createEventCollector(): EventCollector {
  const events: InboundEvent[] = [];
  const arrivals = new EventEmitter().setMaxListeners(0);
  const waitForEvent = (predicate: (event: InboundEvent) => boolean, timeoutMs = 5000): Promise<InboundEvent> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(predicate);
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching event within ${timeoutMs} ms; got kinds [${events.map((e) => e.kind).join(', ')}]`));
      }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); arrivals.off('event', check); };
      arrivals.on('event', check);
      check();
    });
  return {
    events,
    onEvent: async (event) => { events.push(event); arrivals.emit('event'); },
    waitForEvent: waitForEvent as ContractHarness['waitForEvent'],
  };
}

const USER = '1001';

const isMessage = (text: string) => (e: InboundEvent): e is MessageEvent => e.kind === 'message' && e.text === text;

/** A text of whole Vietnamese words, longer than `minLength` characters. */
function longText(minLength: number): string {
  const words = ['Phóng', 'viên', 'hỏi', 'về', 'tiến', 'độ', 'dự', 'án', 'đường', 'vành', 'đai', 'ba.'];
  const out: string[] = [];
  for (let i = 0; out.join(' ').length <= minLength; i += 1) out.push(`${words[i % words.length]}${i % 97 === 96 ? '\n\n' : ''}`);
  return out.join(' ');
}

const wordsOf = (text: string) => text.split(/\s+/).filter((w) => w.length > 0);

/**
 * Declares the tests every channel adapter must pass. `setup` runs before each test and returns a
 * fresh harness (adapter started against a fake platform); `teardown` runs after it.
 */
export function runAdapterContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`adapter contract: ${name}`, () => {
    let h: ContractHarness;
    beforeEach(async () => { h = await setup(); });
    afterEach(async () => { await h.teardown(); });

    /** The user writes first (platforms only let bots answer people who did), returns the chat. */
    async function openChat(text = 'Xin chào'): Promise<MessageEvent> {
      const { messageId } = await h.userMessage(USER, text);
      return h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === messageId);
    }

    it('normalises a text message', async () => {
      const before = Date.now();
      const { messageId } = await h.userMessage(USER, 'Tôi là phóng viên báo Nhân Dân');
      const event = await h.waitForEvent(isMessage('Tôi là phóng viên báo Nhân Dân'));
      expect(event).toMatchObject({ kind: 'message', platform: h.adapter.platform, messageId, from: { id: USER } });
      expect(event.eventId).toMatch(/\S/);
      expect(event.chatId).toMatch(/\S/);
      expect(event.replyTo).toBeUndefined();
      expect(event.at).toBeInstanceOf(Date);
      expect(Math.abs(event.at.getTime() - before)).toBeLessThan(60_000);
      await h.userMessage(USER, 'tin thứ hai');
      const second = await h.waitForEvent(isMessage('tin thứ hai'));
      expect(second.eventId).not.toBe(event.eventId);
      expect(second.chatId).toBe(event.chatId);
    });

    it('replies are supported (every channel here threads answers under the question)', () => {
      expect(h.adapter.capabilities.replies).toBe(true);
    });

    it('a reply carries replyTo = the replied message id', async () => {
      const chat = await openChat();
      const sent = await h.adapter.send(chat.chatId, { text: 'Anh/chị hỏi cơ quan nào?' });
      await h.userMessage(USER, 'Sở Giao thông', sent.messageId);
      const reply = await h.waitForEvent(isMessage('Sở Giao thông'));
      expect(reply.replyTo).toBe(sent.messageId);
    });

    it('a command is lower-cased, with trimmed args', async () => {
      const { messageId } = await h.userCommand(USER, 'HoI', '  lịch họp báo tuần này? ');
      const event = await h.waitForEvent((e): e is CommandEvent => e.kind === 'command');
      expect(event).toMatchObject({ command: 'hoi', args: 'lịch họp báo tuần này?', messageId, from: { id: USER } });
    });

    it('a buttonless channel sends the text and ignores the buttons', async () => {
      const chat = await openChat();
      const buttons = [[{ label: 'Trả lời', action: 'ans', payload: 'inq-42' }]];
      const result = await h.adapter.send(chat.chatId, { text: 'Câu hỏi mới\n1. Trả lời', buttons });
      const sent = h.sentTo(chat.chatId).find((s) => s.messageId === result.messageId);
      expect(sent?.text).toBe('Câu hỏi mới\n1. Trả lời');
      expect(sent?.buttons ?? []).toEqual(h.adapter.capabilities.buttons ? buttons : []);
    });

    it('a button press is decoded to action and payload (channels with buttons)', async () => {
      if (!h.adapter.capabilities.buttons) {
        await expect(h.userPress(USER, '1', 'ans', 'x')).rejects.toThrow();
        expect(h.events.some((e) => e.kind === 'button')).toBe(false);
        return;
      }
      const chat = await openChat();
      const sent = await h.adapter.send(chat.chatId, {
        text: 'Câu hỏi mới', buttons: [[{ label: 'Trả lời', action: 'ans', payload: 'inq-42' }, { label: 'Từ chối', action: 'decline', payload: 'inq-42' }]],
      });
      await h.userPress(USER, sent.messageId, 'decline', 'inq-42');
      const press = await h.waitForEvent((e): e is ButtonEvent => e.kind === 'button');
      expect(press).toMatchObject({ action: 'decline', payload: 'inq-42', messageId: sent.messageId, chatId: chat.chatId, from: { id: USER } });
    });

    it('send returns the platform message id', async () => {
      const chat = await openChat();
      const result = await h.adapter.send(chat.chatId, { text: 'Đã nhận câu hỏi.' });
      expect(result.messageIds).toEqual([result.messageId]);
      expect(h.sentTo(chat.chatId)).toEqual([expect.objectContaining({ messageId: result.messageId, text: 'Đã nhận câu hỏi.' })]);
    });

    it('replyTo threads the answer under the user message', async () => {
      const chat = await openChat('Khi nào thông xe?');
      const result = await h.adapter.send(chat.chatId, { text: 'Dự kiến tháng 12.', replyTo: chat.messageId });
      expect(h.sentTo(chat.chatId).find((s) => s.messageId === result.messageId)?.replyTo).toBe(chat.messageId);
    });

    it('splits long text: no part over the limit, words kept, buttons on the last part only', async () => {
      const max = h.adapter.capabilities.maxTextLength;
      const chat = await openChat();
      const text = longText(max * 2.5);
      const notified: Array<[number, string]> = [];
      const result = await h.adapter.send(chat.chatId, {
        text, replyTo: chat.messageId, buttons: [[{ label: 'Đã rõ', action: 'ack', payload: '7' }]],
      }, { onPartSent: (index, id) => { notified.push([index, id]); } });
      const parts = h.sentTo(chat.chatId).filter((s) => result.messageIds.includes(s.messageId));
      expect(parts.length).toBeGreaterThanOrEqual(3);
      expect(parts.map((p) => p.messageId)).toEqual(result.messageIds);
      expect(result.messageId).toBe(result.messageIds[0]);
      for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(max);
      expect(wordsOf(parts.map((p) => p.text).join(' '))).toEqual(wordsOf(text));
      expect(parts.slice(0, -1).every((p) => !p.buttons?.length)).toBe(true);
      expect(parts.at(-1)?.buttons ?? []).toEqual(h.adapter.capabilities.buttons ? [[{ label: 'Đã rõ', action: 'ack', payload: '7' }]] : []);
      expect(parts.map((p) => p.replyTo)).toEqual([chat.messageId, ...parts.slice(1).map(() => undefined)]);
      expect(notified).toEqual(result.messageIds.map((id, index) => [index, id]));
    });

    it('skipParts sends only the parts not yet delivered, and nothing when all were', async () => {
      const chat = await openChat();
      const text = longText(h.adapter.capabilities.maxTextLength * 2.5);
      const full = await h.adapter.send(chat.chatId, { text });
      const texts = h.sentTo(chat.chatId).filter((s) => full.messageIds.includes(s.messageId)).map((s) => s.text);
      const notified: number[] = [];
      const retry = await h.adapter.send(chat.chatId, { text }, { skipParts: 1, onPartSent: (index) => { notified.push(index); } });
      const resent = h.sentTo(chat.chatId).filter((s) => retry.messageIds.includes(s.messageId)).map((s) => s.text);
      expect(resent).toEqual(texts.slice(1));
      expect(retry.messageId).toBe(retry.messageIds[0]);
      expect(notified).toEqual(texts.slice(1).map((_t, i) => i + 1));
      const none = await h.adapter.send(chat.chatId, { text }, { skipParts: texts.length });
      expect(none.messageIds).toEqual([]);
    });

    it('429 becomes RateLimitError with retryAfterMs, and nothing is sent', async () => {
      const chat = await openChat();
      h.failNextSend(chat.chatId, 'rate_limit', 3000);
      const error = await h.adapter.send(chat.chatId, { text: 'chậm lại' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBe(3000);
      expect(h.sentTo(chat.chatId)).toEqual([]);
      await expect(h.adapter.send(chat.chatId, { text: 'lần sau được' })).resolves.toMatchObject({ messageIds: [expect.any(String)] });
    });

    it.each([
      { kind: 'blocked', errorName: 'UnreachableError', errorClass: UnreachableError, code: 'unreachable' },
      { kind: 'not_found', errorName: 'UnreachableError', errorClass: UnreachableError, code: 'unreachable' },
      { kind: 'server_error', errorName: 'TransientError', errorClass: TransientError, code: 'transient' },
    ] as const)('a $kind failure becomes $errorName, and nothing is sent', async ({ kind, errorClass, code }) => {
      const chat = await openChat();
      h.failNextSend(chat.chatId, kind);
      const error = await h.adapter.send(chat.chatId, { text: 'thông báo' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as { code: string }).code).toBe(code);
      expect(h.sentTo(chat.chatId)).toEqual([]);
    });
  });
}
