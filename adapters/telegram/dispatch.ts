import type { Logger } from 'pino';
import type { InboundHandler } from '../types.js';
import { toScrubbedError } from './errors.js';
import { describeUpdate, parseUpdate, toCallbackQueryId } from './parse.js';

/** What {@link createUpdateDispatcher} needs from the adapter. */
export interface DispatchDeps {
  logger: Logger;
  scrub: (text: string) => string;
  now: () => Date;
  /** The handler given to `start`; `undefined` before it. */
  handler: () => InboundHandler | undefined;
  answerCallbackQuery: (callbackQueryId: string) => Promise<unknown>;
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
    try {
      const event = parseUpdate(update, deps.now());
      if (!event) {
        deps.logger.warn({ updateId: toUpdateId(update), kind: describeUpdate(update) }, 'telegram update skipped: unsupported');
        return;
      }
      const onEvent = deps.handler();
      if (!onEvent) throw new Error('telegram adapter received an update before start()');
      await onEvent(event);
    } finally {
      await answered;
    }
  };
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
