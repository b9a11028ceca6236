import {
  splitText,
  type AdapterCapabilities, type ChatAdapter, type ChatError, type InboundEvent, type InboundHandler,
  type OutboundMessage, type Platform, type SendOptions, type SendResult,
} from '../../adapters/types.js';

/** One `send` call as the test double saw it. */
export interface SendRecord {
  chatId: string;
  message: OutboundMessage;
  /** Texts of the parts delivered by this call (after `skipParts`). */
  parts: string[];
  /** Message ids of those parts. */
  messageIds: string[];
  skipParts: number;
  at: Date;
  /** The scripted error this call ended with, if any. */
  error?: ChatError;
}

/** One part accepted by the "platform", in delivery order. */
export interface DeliveredPart {
  chatId: string;
  text: string;
  /** Index of the part within its message. */
  index: number;
  messageId: string;
  replyTo?: string;
}

/** An in-memory {@link ChatAdapter} for integration tests (e2e tests use the real adapters). */
export interface MemoryAdapter extends ChatAdapter {
  /** Every send call, in order. */
  readonly sends: SendRecord[];
  /** Every delivered part, in order. */
  readonly delivered: DeliveredPart[];
  /**
   * Makes the next `times` part sends to `chatId` (or any chat, `'*'`) throw `error`. With
   * `onPart`, only a send of that part index fails (e.g. `1`: the second part of a long text).
   */
  failNext(chatId: string, error: ChatError, times?: number, options?: { onPart?: number }): void;
  /** Delay before each part is accepted, in ms (or a function of the chat), to shake out ordering bugs. */
  setLatency(latencyMs: number | ((chatId: string) => number)): void;
  /** Feeds an inbound event to the handler given to `start`. */
  emit(event: InboundEvent): Promise<void>;
  /** Parts delivered to one chat, in order. */
  deliveredTo(chatId: string): DeliveredPart[];
}

interface ScriptedFailure {
  chatId: string;
  error: ChatError;
  remaining: number;
  onPart?: number;
}

const DEFAULT_CAPABILITIES: AdapterCapabilities = { buttons: true, replies: true, maxTextLength: 4096, edits: false };

interface State {
  caps: AdapterCapabilities;
  sends: SendRecord[];
  delivered: DeliveredPart[];
  failures: ScriptedFailure[];
  latency: (chatId: string) => number;
  nextId: number;
}

function takeFailure(state: State, chatId: string, part: number): ChatError | undefined {
  const found = state.failures.find((f) => (f.chatId === '*' || f.chatId === chatId) && (f.onPart === undefined || f.onPart === part));
  if (!found) return undefined;
  found.remaining -= 1;
  if (found.remaining <= 0) state.failures.splice(state.failures.indexOf(found), 1);
  return found.error;
}

async function send(state: State, chatId: string, message: OutboundMessage, options: SendOptions = {}): Promise<SendResult> {
  const texts = splitText(message.text, state.caps.maxTextLength);
  const skipParts = options.skipParts ?? 0;
  const record: SendRecord = { chatId, message, parts: [], messageIds: [], skipParts, at: new Date() };
  state.sends.push(record);
  for (let index = skipParts; index < texts.length; index++) {
    const delayMs = state.latency(chatId);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const error = takeFailure(state, chatId, index);
    if (error) {
      record.error = error;
      throw error;
    }
    const messageId = String(state.nextId++);
    const text = texts[index] ?? '';
    record.parts.push(text);
    record.messageIds.push(messageId);
    state.delivered.push({ chatId, text, index, messageId, ...(message.replyTo ? { replyTo: message.replyTo } : {}) });
    await options.onPartSent?.(index, messageId);
  }
  return { messageId: record.messageIds[0] ?? '', messageIds: [...record.messageIds] };
}

/**
 * Creates a {@link MemoryAdapter}; message ids are increasing decimal strings from `1001`.
 * `send` returns (and `onPartSent` reports) only the parts it delivered in that call; part
 * indexes passed to `onPartSent` count from the start of the whole message.
 */
export function createMemoryAdapter(platform: Platform = 'telegram', capabilities: Partial<AdapterCapabilities> = {}): MemoryAdapter {
  const state: State = {
    caps: { ...DEFAULT_CAPABILITIES, ...capabilities }, sends: [], delivered: [], failures: [], latency: () => 0, nextId: 1001,
  };
  let handler: InboundHandler | undefined;
  return {
    platform,
    capabilities: state.caps,
    sends: state.sends,
    delivered: state.delivered,
    start: async (onEvent) => { handler = onEvent; },
    stop: async () => { handler = undefined; },
    send: (chatId, message, options) => send(state, chatId, message, options),
    failNext: (chatId, error, times = 1, options = {}) => {
      state.failures.push({ chatId, error, remaining: times, ...(options.onPart !== undefined ? { onPart: options.onPart } : {}) });
    },
    setLatency: (value) => { state.latency = typeof value === 'number' ? () => value : value; },
    emit: async (event) => {
      if (!handler) throw new Error('memory adapter: emit before start');
      await handler(event);
    },
    deliveredTo: (chatId) => state.delivered.filter((p) => p.chatId === chatId),
  };
}
