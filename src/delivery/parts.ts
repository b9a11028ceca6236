import { messageParts } from '../../adapters/parts.js';
import { ChatError, type ChatAdapter, type OutboundMessage } from '../../adapters/types.js';
import { describeError } from './error-text.js';
import { persistently, type PersistOptions } from './persist.js';

/**
 * Where a caller keeps which parts of a message were delivered (the outbox row, the notice's
 * recipient row): the core has no SQL of its own.
 */
export interface PartsLog {
  /** Records `ids`, the platform ids of every part delivered so far, in order. */
  record(ids: readonly string[]): Promise<void>;
}

/** The parts of one message delivered so far, and how many of them the {@link PartsLog} holds. */
export interface PartsProgress {
  /** Platform message ids of the delivered parts, in order (those of earlier attempts first). */
  ids: string[];
  recorded: number;
  /** The platform was called (a send may have happened). */
  started: boolean;
}

/** The progress a stored row records: the first `partsSent` ids of `idsJson` (a JSON array, or null). */
export function storedProgress(idsJson: string | null, partsSent: number): PartsProgress {
  const parsed: unknown = idsJson === null || partsSent === 0 ? [] : JSON.parse(idsJson);
  const ids = Array.isArray(parsed) ? parsed.slice(0, partsSent).map(String) : [];
  return { ids, recorded: ids.length, started: false };
}

/** What {@link sendRemainingParts} needs besides the message. */
export interface PartsSendOptions {
  log: PartsLog;
  /** How recording the parts delivered before a failure is retried (and logged) when the database fails. */
  persist: PersistOptions;
  /** Runs after each part but the last, before the next one goes (the notices engine's pacing). */
  beforeNextPart?(): Promise<void>;
}

/**
 * Sends the parts of `message` not yet delivered (after a crash, the ones `progress` does not
 * hold), adding each accepted part's id to `progress`. Each part but the last is recorded in the
 * log at once, best effort (the last is recorded with the caller's outcome: one write fewer per
 * message). When the platform refuses a part, the parts delivered before it are recorded before
 * the error is thrown on, retried while the database fails, so a retry never sends them again.
 */
export async function sendRemainingParts(
  adapter: ChatAdapter, chatId: string, message: OutboundMessage, progress: PartsProgress, o: PartsSendOptions,
): Promise<void> {
  progress.started = true;
  // Files are parts too: counting text parts only would leave a file message unrecorded until its outcome.
  const total = messageParts(message, adapter.capabilities.maxTextLength).length;
  try {
    const result = await adapter.send(chatId, message, {
      skipParts: progress.ids.length,
      // Parts go out one after another, so counting calls does not depend on how the adapter numbers them.
      onPartSent: async (_index, messageId) => {
        progress.ids.push(messageId);
        if (progress.ids.length >= total) return;
        await recordNow(o, progress);
        await o.beforeNextPart?.();
      },
    });
    // An adapter that does not report parts one by one: take its ids.
    if (progress.ids.length === 0 && result.messageIds.length > 0) progress.ids.push(...result.messageIds);
  } catch (err) {
    if (err instanceof ChatError) await recordDelivered(o, progress);
    throw err;
  }
}

async function recordNow(o: PartsSendOptions, progress: PartsProgress): Promise<void> {
  const count = progress.ids.length;
  try {
    await o.log.record([...progress.ids]);
    progress.recorded = Math.max(progress.recorded, count);
  } catch (err) {
    o.persist.logger.warn({ ...o.persist.fields, error: describeError(err, o.persist.scrub) },
      'delivery: could not record a delivered part yet; recorded with the outcome');
  }
}

/** Records the parts delivered before a failure, if the per-part record did not make it. */
async function recordDelivered(o: PartsSendOptions, progress: PartsProgress): Promise<void> {
  if (progress.ids.length <= progress.recorded) return;
  const ids = [...progress.ids];
  await persistently('record the delivered parts of a message', () => o.log.record(ids), o.persist);
  progress.recorded = ids.length;
}
