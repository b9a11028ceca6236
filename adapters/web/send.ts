import { sendMessageParts, type FilePart, type MessagePart } from '../parts.js';
import {
  BadRequestError, ChatError, TransientError, UnreachableError, encodeButtonData, maskSecrets, splitText,
  type Button, type OutboundFile, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import { toTimelineFile } from './file-routes.js';
import type { LiveStreams } from './live.js';
import type { SessionManager } from './sessions.js';
import type { WebStore } from './store.js';

/** The web channel's limit on one message, in characters. */
export const WEB_MAX_TEXT_LENGTH = 4000;

/** What {@link sendWebMessage} needs from the adapter. */
export interface WebSendDeps {
  sessions: SessionManager;
  store: WebStore;
  live: LiveStreams;
  /** Epoch milliseconds. */
  now(): number;
  /** Test-only fault injection: an error to throw instead of sending to `chatId`, if any. */
  faults?: (chatId: string) => ChatError | undefined;
  /** How long the clear text of a message carrying a credential stays readable in its timeline, in ms. */
  revealMs: number;
}

/** The unreachable reason when nobody is signed in as the chat's identity (signed out, or idle too long). */
export const WEB_NO_SESSION = 'no_session';

/**
 * Appends a message to the chat's stored timeline (every process's open pages get it) as parts of
 * at most {@link WEB_MAX_TEXT_LENGTH} characters, then one entry per file (naming the stored file:
 * the page fetches it through the session's file route). The first text part and the files reply
 * to `message.replyTo`; only the last part carries the buttons; parts before `options.skipParts`
 * are not sent.
 *
 * When nobody is signed in as the chat, the message is still stored (the person sees it when they
 * sign in again) and `UnreachableError(no_session)` is thrown, so the outbox can also re-send it to
 * another chat the person links.
 * @throws {UnreachableError} {@link WEB_NO_SESSION}; {@link ChatError}s only.
 */
export async function sendWebMessage(
  deps: WebSendDeps, chatId: string, message: OutboundMessage, options: SendOptions = {},
): Promise<SendResult> {
  try {
    return await storeMessage(deps, chatId, message, options);
  } catch (err) {
    if (err instanceof ChatError) throw err;
    throw new TransientError('web: the timeline store failed', undefined, { cause: err });
  }
}

async function storeMessage(deps: WebSendDeps, chatId: string, message: OutboundMessage, options: SendOptions): Promise<SendResult> {
  const buttons = toButtons(message.buttons);
  const fault = deps.faults?.(chatId);
  if (fault) throw fault;
  const append = async (clear: string, first: boolean, last: boolean, file?: OutboundFile): Promise<string> => {
    // Files sit under the same message as the text (an answer's letter under the question).
    const replyTo = first || file ? message.replyTo : undefined;
    // A code in the timeline is readable by its page only while it can be used; the stored text is masked.
    const text = message.secrets ? maskSecrets(clear, message.secrets) : clear;
    const nowMs = deps.now();
    const { entry } = await deps.store.appendMessage({
      chatId, from: 'bot', text, at: new Date(nowMs).toISOString(),
      ...(text === clear ? {} : { revealText: clear, revealUntil: new Date(nowMs + deps.revealMs).toISOString() }),
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(last && buttons ? { buttons } : {}),
      ...(file ? { files: [toTimelineFile(file)] } : {}),
    });
    deps.live.wake();
    return entry.id;
  };
  const senders = {
    text: (part: MessagePart) => append(part.text, part.first, part.last),
    file: (part: FilePart) => append('', part.first, part.last, part.file),
  };
  if (!(await deps.sessions.isLive(chatId))) {
    await sendMessageParts(message, WEB_MAX_TEXT_LENGTH, {}, senders);
    throw new UnreachableError(WEB_NO_SESSION, 'nobody is signed in as this web chat; the message waits in its timeline');
  }
  return sendMessageParts(message, WEB_MAX_TEXT_LENGTH, options, senders);
}

/**
 * Replaces the text and buttons of a message the bot sent to `chatId` (e.g. a progress count);
 * open pages show the change in place. Stored whether or not anyone is signed in.
 * @throws {BadRequestError} when the text needs more than one part or the chat has no such bot message.
 */
export async function editWebMessage(deps: WebSendDeps, chatId: string, messageId: string, message: OutboundMessage): Promise<void> {
  const buttons = toButtons(message.buttons);
  if (splitText(message.text, WEB_MAX_TEXT_LENGTH).length > 1) throw new BadRequestError(`an edit must fit in one message (${WEB_MAX_TEXT_LENGTH} characters)`);
  const fault = deps.faults?.(chatId);
  if (fault) throw fault;
  let edited;
  try {
    edited = await deps.store.editMessage(chatId, messageId, { text: message.text, at: new Date(deps.now()).toISOString(), ...(buttons ? { buttons } : {}) });
  } catch (err) {
    throw new TransientError('web: the timeline store failed', undefined, { cause: err });
  }
  if (!edited) throw new BadRequestError('message to edit not found');
  deps.live.wake();
}

/** Replaces only a bot message's buttons (a page of choices turning): not marked "(đã sửa)", as a settled choice is not. */
export async function editWebButtons(deps: WebSendDeps, chatId: string, messageId: string, buttons: Button[][]): Promise<void> {
  const checked = toButtons(buttons);
  const fault = deps.faults?.(chatId);
  if (fault) throw fault;
  let edited;
  try {
    const entry = await deps.store.findMessage(chatId, messageId);
    edited = entry?.from === 'bot'
      ? await deps.store.editMessage(chatId, messageId, { text: entry.text, at: new Date(deps.now()).toISOString(), buttonsOnly: true, ...(checked ? { buttons: checked } : {}) })
      : undefined;
  } catch (err) {
    throw new TransientError('web: the timeline store failed', undefined, { cause: err });
  }
  if (!edited) throw new BadRequestError('message to edit not found');
  deps.live.wake();
}

/** Non-empty rows, each button checked against the shared button-data limit; `undefined` when none. */
function toButtons(buttons: Button[][] | undefined): Button[][] | undefined {
  const rows = (buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) return undefined;
  try {
    return rows.map((row) => row.map((b) => {
      encodeButtonData(b.action, b.payload);
      // A settled message's buttons keep their state (chosen / disabled): the page draws it, and refuses presses on it.
      return { label: b.label, action: b.action, payload: b.payload, ...(b.style ? { style: b.style } : {}), ...(b.state ? { state: b.state } : {}) };
    }));
  } catch (err) {
    throw new BadRequestError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
