import type { Logger } from 'pino';
import type { InboundHandler } from '../types.js';
import { toScrubbedError } from './errors.js';
import { describeUpdate, parseUpdate, toCallbackQueryId } from './parse.js';
import { SETTLED_ACTION, settledKeyboard, type SettledKeyboard } from './settle.js';

/** What {@link createUpdateDispatcher} needs from the adapter. */
export interface DispatchDeps {
  logger: Logger;
  scrub: (text: string) => string;
  now: () => Date;
  /** The handler given to `start`; `undefined` before it. */
  handler: () => InboundHandler | undefined;
  answerCallbackQuery: (callbackQueryId: string) => Promise<unknown>;
  /** Whether pressing a button of `action` settles its message (see settle.ts); absent: none does. */
  settles?: (action: string) => boolean;
  /** Replaces a message's keyboard (editMessageReplyMarkup). */
  editKeyboard?: (s: SettledKeyboard) => Promise<unknown>;
}

/**
 * Returns the function telegraf runs for every update: parse, hand the event to `onEvent` and wait
 * for it (it persists the event), and answer any callback query. Resolves when `onEvent` resolved;
 * rejects when it rejected. Unsupported or malformed updates are logged and skipped.
 */
export function createUpdateDispatcher(deps: DispatchDeps): (update: unknown) => Promise<void> {
  return async (update) => {
    // Started before onEvent so the user's button stops spinning whatever onEvent does.
    const answered = answerCallback(deps, update);
    const settled = settleKeyboard(deps, update);
    try {
      const event = parseUpdate(update, deps.now());
      // A press on a button already shown as done: the tap is answered, nothing else happens.
      if (event?.kind === 'button' && event.action === SETTLED_ACTION) return;
      if (!event) {
        deps.logger.warn({ updateId: toUpdateId(update), kind: describeUpdate(update) }, 'telegram update skipped: unsupported');
        return;
      }
      const onEvent = deps.handler();
      if (!onEvent) throw new Error('telegram adapter received an update before start()');
      await onEvent(event);
    } finally {
      await Promise.all([answered, settled]);
    }
  };
}

/** Shows a settling press on the keyboard at once: the chosen button marked, the rest gone. */
async function settleKeyboard(deps: DispatchDeps, update: unknown): Promise<void> {
  const settled = deps.settles && deps.editKeyboard ? settledKeyboard(update, deps.settles) : undefined;
  if (!settled || !deps.editKeyboard) return;
  try {
    await deps.editKeyboard(settled);
  } catch (err) {
    deps.logger.warn({ err: toScrubbedError(err, deps.scrub), updateId: toUpdateId(update) }, 'telegram editMessageReplyMarkup failed');
  }
}

async function answerCallback(deps: DispatchDeps, update: unknown): Promise<void> {
  const callbackQueryId = toCallbackQueryId(update);
  if (callbackQueryId === undefined) return;
  try {
    await deps.answerCallbackQuery(callbackQueryId);
  } catch (err) {
    deps.logger.warn({ err: toScrubbedError(err, deps.scrub), updateId: toUpdateId(update) }, 'telegram answerCallbackQuery failed');
  }
}

function toUpdateId(update: unknown): unknown {
  return typeof update === 'object' && update !== null ? (update as { update_id?: unknown }).update_id : undefined;
}
