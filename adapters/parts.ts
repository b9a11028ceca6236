import {
  BadRequestError, ChatError, isBlankText, splitText, TransientError, type OutboundFile, type OutboundMessage, type SendOptions, type SendResult,
} from './types.js';

/** One text part of a message being sent. */
export interface MessagePart {
  index: number;
  text: string;
  /** The first part carries the reply-to. */
  first: boolean;
  /** The last part carries the buttons. */
  last: boolean;
}

/** One file part of a message being sent (files follow the text, one part each). */
export interface FilePart {
  index: number;
  file: OutboundFile;
  first: boolean;
  last: boolean;
}

/** How one adapter sends each kind of part; each returns the platform message id. */
export interface PartSenders {
  text(part: MessagePart): Promise<string>;
  file?(part: FilePart): Promise<string>;
}

/**
 * The parts of a message, in order: its text split at `maxLength` (none when the text is blank
 * and files follow), then one part per file. Deterministic for the same message, so a retry's
 * `skipParts` names the same parts.
 */
export function messageParts(message: Pick<OutboundMessage, 'text' | 'files'>, maxLength: number): Array<{ text: string } | { file: OutboundFile }> {
  const files = message.files ?? [];
  const texts = files.length > 0 && isBlankText(message.text) ? [] : splitText(message.text, maxLength);
  return [...texts.map((text) => ({ text })), ...files.map((file) => ({ file }))];
}

/**
 * The send protocol every adapter follows: split the message into parts ({@link messageParts}),
 * skip the parts an earlier attempt delivered (`options.skipParts`), send the rest in order, and
 * report each one through `options.onPartSent` — a failing callback becomes a
 * {@link TransientError} so `send` throws ChatErrors only. A file part on an adapter without a
 * file sender is a bug (the outbox gives files only to adapters that declare them). With nothing
 * left to send the result is `{messageId: '', messageIds: []}`.
 */
export async function sendMessageParts(
  message: Pick<OutboundMessage, 'text' | 'files'>, maxLength: number, options: SendOptions, senders: PartSenders,
): Promise<SendResult> {
  const parts = messageParts(message, maxLength);
  const skip = options.skipParts !== undefined && Number.isFinite(options.skipParts) ? Math.max(0, Math.floor(options.skipParts)) : 0;
  const messageIds: string[] = [];
  for (let index = skip; index < parts.length; index += 1) {
    const part = parts[index]!;
    const flags = { index, first: index === 0, last: index === parts.length - 1 };
    let messageId: string;
    if ('text' in part) messageId = await senders.text({ ...flags, text: part.text });
    else if (senders.file) messageId = await senders.file({ ...flags, file: part.file });
    else throw new BadRequestError('this adapter cannot send files; the outbox should have sent a link');
    messageIds.push(messageId);
    await notifyPartSent(options.onPartSent, index, messageId);
  }
  return { messageId: messageIds[0] ?? '', messageIds };
}

/** {@link sendMessageParts} for a text-only message. */
export async function sendInParts(
  text: string, maxLength: number, options: SendOptions, sendPart: (part: MessagePart) => Promise<string>,
): Promise<SendResult> {
  return sendMessageParts({ text }, maxLength, options, { text: sendPart });
}

async function notifyPartSent(onPartSent: SendOptions['onPartSent'], index: number, messageId: string): Promise<void> {
  if (!onPartSent) return;
  try {
    await onPartSent(index, messageId);
  } catch (err) {
    if (err instanceof ChatError) throw err;
    throw new TransientError(`onPartSent failed after part ${index}`, undefined, { cause: err });
  }
}
