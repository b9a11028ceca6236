import type { Platform } from '../../adapters/types.js';
import { listCredentialHeldPlatforms, releaseCredentialHolds } from '../../db/repositories/outbox.js';
import type { OutboxRow } from '../../db/schema.js';
import type { CredentialWatch, DeliveryContext, DeliveryOutcome } from './types.js';
import { describeError } from '../delivery/error-text.js';
import { holdOrRedirect } from './hold.js';

/**
 * Parks a row whose send was refused for our own credentials (Zalo OA refresh token rejected,
 * personal Zalo session expired, Telegram token revoked: no recipient's fault, and no retry helps
 * until an operator acts): copied to another reachable chat of the
 * person on another platform, else `held` (reason `credentials`) until the platform accepts us again.
 */
export async function holdForCredentials(ctx: DeliveryContext, row: OutboxRow, error: string): Promise<DeliveryOutcome> {
  const note = `held: credentials refused; sent once they work again (${error})`.slice(0, 300);
  const outcome = await holdOrRedirect(ctx, row, { reason: 'credentials', note, attempts: row.attempts + 1, avoidPlatform: row.platform });
  if (outcome.kind === 'held') ctx.credentials?.noteHeld(row.platform);
  return outcome;
}

/** What {@link createCredentialWatch} needs. */
export interface CredentialWatchOptions {
  ctx: DeliveryContext;
  enqueue(ids: readonly number[]): Promise<void>;
}

export function createCredentialWatch(o: CredentialWatchOptions): CredentialWatch {
  const { ctx } = o;
  const watched = new Set<Platform>();

  const release = async (platform: Platform, oldestOnly: boolean): Promise<number[]> => {
    const ids = await releaseCredentialHolds(ctx.db, ctx.queueName, platform, { oldestOnly });
    if (ids.length === 0) return ids;
    await o.enqueue(ids);
    return ids;
  };

  const watch: CredentialWatch = {
    noteHeld(platform) { watched.add(platform); },
    async accepted(platform) {
      if (!watched.has(platform)) return;
      watched.delete(platform);
      try {
        const ids = await release(platform, false);
        if (ids.length > 0) ctx.logger.info({ platform, count: ids.length }, 'outbox: credentials accepted again; held messages released');
      } catch (err) {
        watched.add(platform);
        ctx.logger.error({ platform, error: describeError(err, ctx.scrub) }, 'outbox: releasing messages held for credentials failed; retried at the next check');
      }
    },
    async probe() {
      let count = 0;
      for (const platform of await listCredentialHeldPlatforms(ctx.db, ctx.queueName)) {
        if (!ctx.adapters.has(platform)) continue;
        watched.add(platform);
        count += (await release(platform, true)).length;
      }
      return count;
    },
    async tick() {
      const probes = await watch.probe();
      if (probes > 0) ctx.logger.debug({ probes }, 'outbox: probing platforms that refused our credentials');
    },
  };
  return watch;
}
