import { ChatError, splitText, TransientError, type SendOptions, type SendResult } from './types.js';

/** One part of a message being sent. */
export interface MessagePart {
  index: number;
  text: string;
  /** The first part carries the reply-to. */
  first: boolean;
  /** The last part carries the buttons. */
  last: boolean;
}

/**
 * The send protocol every adapter follows: split the text at `maxLength`, skip the parts an earlier
 * attempt delivered (`options.skipParts`), send the rest in order with `sendPart` (which returns the
 * platform message id), and report each one through `options.onPartSent` — a failing callback
 * becomes a {@link TransientError} so `send` throws ChatErrors only. With nothing left to send the
 * result is `{messageId: '', messageIds: []}`.
 */
export async function sendInParts(
  text: string, maxLength: number, options: SendOptions, sendPart: (part: MessagePart) => Promise<string>,
): Promise<SendResult> {
  const parts = splitText(text, maxLength);
  const skip = options.skipParts !== undefined && Number.isFinite(options.skipParts) ? Math.max(0, Math.floor(options.skipParts)) : 0;
  const messageIds: string[] = [];
  for (let index = skip; index < parts.length; index += 1) {
    const messageId = await sendPart({ index, text: parts[index]!, first: index === 0, last: index === parts.length - 1 });
    messageIds.push(messageId);
    await notifyPartSent(options.onPartSent, index, messageId);
  }
  return { messageId: messageIds[0] ?? '', messageIds };
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
