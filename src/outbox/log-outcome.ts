import type { Logger } from '../logger.js';
import type { DeliveryOutcome } from './types.js';

/** One log line per delivery attempt, at a level that matches what happened. */
export function logOutcome(logger: Logger, outcome: DeliveryOutcome): void {
  const base = { outboxId: outcome.row.id, platform: outcome.row.platform, identityId: outcome.row.identity_id };
  switch (outcome.kind) {
    case 'sent':
      logger.info({ ...base, parts: outcome.messageIds.length, attempts: outcome.row.attempts }, 'outbox: sent');
      return;
    case 'skipped':
      if (outcome.reason === 'no_adapter') logger.error(base, 'outbox: no adapter for the platform; row left pending');
      else logger.debug({ ...base, reason: outcome.reason }, 'outbox: nothing to do');
      return;
    case 'wait':
      logger.debug({ ...base, reason: outcome.reason, blockerId: outcome.blockerId }, 'outbox: waiting for the message it replies to');
      return;
    case 'rate_limited':
      logger.info({ ...base, delayMs: outcome.delayMs }, 'outbox: rate limited, postponed');
      return;
    case 'retry':
      logger.warn({ ...base, attempts: outcome.attempts, delayMs: outcome.delayMs, error: outcome.error }, 'outbox: send failed, will retry');
      return;
    case 'failed':
      logger.error({ ...base, reason: outcome.reason, attempts: outcome.row.attempts, error: outcome.error }, 'outbox: send failed for good');
      return;
    case 'unreachable':
      logger.warn({ ...base, reason: outcome.reason }, 'outbox: recipient unreachable');
      return;
    case 'held':
      if (outcome.reason === 'credentials') logger.warn({ ...base, error: outcome.row.last_error }, 'outbox: the platform refused our credentials; held until they work again');
      else logger.info(base, 'outbox: reply window closed; held until the recipient writes');
      return;
    case 'redirected':
      logger.info({ ...base, newIds: outcome.newIds }, 'outbox: recipient not reachable on this platform now; sent to another identity of the person');
  }
}
