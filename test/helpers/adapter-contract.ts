import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fileFits, RateLimitError, TransientError, UnreachableError,
  type Button, type ButtonEvent, type ChatAdapter, type CommandEvent, type FileKind, type InboundEvent, type InboundFile, type MessageEvent, type OutboundFile,
} from '../../adapters/types.js';
import { readAll, sample, sha256, streamOf } from './files.js';

/** A message the fake platform accepted from the bot, in platform-neutral terms. */
export interface SentView {
  messageId: string;
  text: string;
  /** The message id it replies to, when the platform threaded it. */
  replyTo?: string;
  buttons?: Button[][];
  /** The file the message carries (a photo, a document), as the platform received it. */
  file?: { sha256: string; name?: string };
}

/** A file a contract user sends: a photo (with a caption) or a named document. */
export interface ContractUserFile {
  kind: 'image' | 'document';
  bytes: Buffer;
  /** The document's name (photos have none on most platforms). */
  name?: string;
  mimeType: string;
  caption?: string;
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
  /** The user sends a file (a photo with an optional caption, or a document), as the platform delivers it. */
  userFile(userId: string, file: ContractUserFile): Promise<{ messageId: string }>;
  /** The bytes the bot gets for a received file (`fetchFile`, or the channel's own store for web uploads). */
  readReceivedFile(file: InboundFile): Promise<Buffer>;
  /** A stored file as the outbox hands it to this adapter (default: read from memory; web: a file in its store). */
  storedFile?(bytes: Buffer, name: string, mimeType: string, kind: FileKind): Promise<OutboundFile>;
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

/** What a harness whose adapter fetches files gives as {@link ContractHarness.readReceivedFile}. */
export function fetchedBy(adapter: ChatAdapter): (file: InboundFile) => Promise<Buffer> {
  return async (file) => {
    if (!adapter.fetchFile) throw new Error(`${adapter.platform}: no fetchFile`);
    return readAll(await adapter.fetchFile(file));
  };
}

/** A stored file as the outbox hands it to an adapter, read from `bytes`. */
export function outboundFile(bytes: Buffer, name: string, mimeType: string, kind: FileKind, attachmentId = 1): OutboundFile {
  return { attachmentId, name, mimeType, kind, sizeBytes: bytes.length, sha256: sha256(bytes), open: async () => streamOf(bytes) };
}

/**
 * Declares the tests every channel adapter must pass. `setup` runs before each test and returns a
 * fresh harness (adapter started against a fake platform); `teardown` runs after it.
 */
export function runAdapterContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`adapter contract: ${name}`, () => {
    let h: ContractHarness;
    beforeEach(async () => { h = await setup(); });
    afterEach(async () => { await h.teardown(); });

    const stored = (bytes: Buffer, name: string, mimeType: string, kind: FileKind, id = 1): Promise<OutboundFile> =>
      (h.storedFile ? h.storedFile(bytes, name, mimeType, kind) : Promise.resolve(outboundFile(bytes, name, mimeType, kind, id)));

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

    it('receives a photo with its caption and a named document; the bot gets each one byte for byte', async () => {
      const photo = sample.jpeg(40_000);
      const pdf = sample.pdf(60_000, 31);
      const sentPhoto = await h.userFile(USER, { kind: 'image', bytes: photo, mimeType: 'image/jpeg', caption: 'Ảnh hiện trường' });
      const sentPdf = await h.userFile(USER, { kind: 'document', bytes: pdf, mimeType: 'application/pdf', name: 'Công văn 7.pdf' });
      const photoEvent = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === sentPhoto.messageId);
      const pdfEvent = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === sentPdf.messageId);
      expect(photoEvent.text).toBe('Ảnh hiện trường');
      expect(photoEvent.files).toEqual([expect.objectContaining({ kind: 'image' })]);
      expect(pdfEvent.files).toEqual([expect.objectContaining({ kind: 'document', name: 'Công văn 7.pdf' })]);
      expect(sha256(await h.readReceivedFile(photoEvent.files![0]!))).toBe(sha256(photo));
      expect(sha256(await h.readReceivedFile(pdfEvent.files![0]!))).toBe(sha256(pdf));
    });

    it('sends a photo and a PDF after the text, as a reply: the text is threaded, each file is its own part', async () => {
      const chat = await openChat('Có tài liệu không?');
      const photo = sample.png(41);
      const pdf = sample.pdf(200_000, 41);
      const notified: number[] = [];
      const result = await h.adapter.send(chat.chatId, {
        text: 'Gửi anh/chị ảnh và công văn.', replyTo: chat.messageId,
        files: [await stored(photo, 'anh.png', 'image/png', 'image'), await stored(pdf, 'Công văn 41.pdf', 'application/pdf', 'document', 2)],
      }, { onPartSent: (index) => { notified.push(index); } });
      const sent = h.sentTo(chat.chatId).filter((s) => result.messageIds.includes(s.messageId));
      expect(sent.map((s) => s.messageId)).toEqual(result.messageIds);
      expect(notified).toEqual([0, 1, 2]);
      expect(sent[0]).toMatchObject({ text: 'Gửi anh/chị ảnh và công văn.', replyTo: chat.messageId });
      expect(sent[0]?.file).toBeUndefined();
      expect(sent[1]?.file?.sha256).toBe(sha256(photo));
      expect(sent[2]?.file).toEqual(expect.objectContaining({ sha256: sha256(pdf) }));
      // Where a platform threads files too, they sit under the same message.
      for (const part of sent.slice(1)) if (part.replyTo !== undefined) expect(part.replyTo).toBe(chat.messageId);
    });

    it('sends files without text as file parts only', async () => {
      const chat = await openChat();
      const pdf = sample.pdf(30_000, 42);
      const result = await h.adapter.send(chat.chatId, { text: '', files: [await stored(pdf, 'bang-so-lieu.pdf', 'application/pdf', 'document')] });
      const sent = h.sentTo(chat.chatId).filter((s) => result.messageIds.includes(s.messageId));
      expect(sent).toHaveLength(1);
      expect(sent[0]?.file?.sha256).toBe(sha256(pdf));
    });

    it('declares its file limits as data: a photo and a PDF fit, one byte over the limit does not (the outbox sends a link)', () => {
      const files = h.adapter.capabilities.files;
      expect(files).toBeDefined();
      const pdf = { kind: 'document' as const, mimeType: 'application/pdf', sizeBytes: 200_000 };
      const photo = { kind: 'image' as const, mimeType: 'image/png', sizeBytes: 50_000 };
      expect(fileFits(files, pdf)).toBe(true);
      expect(fileFits(files, photo)).toBe(true);
      const docLimit = Math.min(files!.maxUploadBytes, files!.maxUploadBytesByKind?.document ?? Infinity);
      const photoLimit = Math.min(files!.maxUploadBytes, files!.maxUploadBytesByKind?.image ?? Infinity);
      expect(fileFits(files, { ...pdf, sizeBytes: docLimit + 1 })).toBe(false);
      expect(fileFits(files, { ...photo, sizeBytes: photoLimit + 1 })).toBe(false);
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
