/**
 * A claim whose process died on this machine need not wait out its lease (issue #10: the first
 * message of a chat after `kill -9` and a restart). The dead process is a real child process here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLeaseKeeper, type LeaseKeeper } from '../../src/outbox/lease.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { childOwner } from '../helpers/lease-child.js';

const keepers: LeaseKeeper[] = [];

function keeper(label = 'outbox'): LeaseKeeper {
  const k = createLeaseKeeper({ leaseMs: 3000, label, logger: createCapturedLogger().logger, renew: async () => undefined });
  keepers.push(k);
  return k;
}

afterEach(() => { for (const k of keepers.splice(0)) k.close(); });

describe('LeaseKeeper.isGone', () => {
  it("a live process's claims are live; once it is killed (-9), they are known to be dead", async () => {
    const here = keeper();
    const child = await childOwner();
    expect(child.owner).toMatch(/^outbox-[0-9a-f]{12}-p\d+-[0-9a-f]{12}$/);
    expect(here.isGone(child.owner)).toBe(false);
    await child.kill9();
    expect(here.isGone(child.owner)).toBe(true);
  }, 60_000);

  it('never judges its own owner, or another keeper of this process, dead', () => {
    const a = keeper();
    const b = keeper('notices');
    expect(a.isGone(a.owner)).toBe(false);
    expect(a.isGone(b.owner)).toBe(false);
    expect(b.isGone(a.owner)).toBe(false);
  });

  it('an earlier process that had this very pid (a restarted container) is dead; unknown or foreign owners are left to the lease', () => {
    const here = keeper();
    const tail = /-p\d+-([0-9a-f]{12})$/.exec(here.owner)!;
    expect(here.isGone(`outbox-aaaaaaaaaaaa-p${process.pid}-${tail[1]}`)).toBe(true);
    // Another machine or pid namespace (another tag), or an id from before the tag existed: unsure.
    expect(here.isGone(`outbox-aaaaaaaaaaaa-p${process.pid}-000000000000`)).toBe(false);
    expect(here.isGone('outbox-deadbeef0000')).toBe(false);
  });
});
