import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import type { Logger } from '../logger.js';

/**
 * The claims this process holds on sends in flight. A claim is written before a send starts
 * and cleared with its outcome; it lapses `leaseMs` after it was taken or last renewed. A send
 * that outlives a third of the lease has its claim renewed, so only a process that stopped (or
 * froze for longer than the lease) loses a claim, and only a lost claim lets a row be sent again.
 * Times are on the real clock: they are compared across processes, like BullMQ's delays.
 */
export interface LeaseKeeper {
  /**
   * This process's claim owner id (random per start; never reused), ending in its pid and a tag of
   * its kernel boot and pid namespace, so a later process on the same machine can tell it died.
   */
  readonly owner: string;
  readonly leaseMs: number;
  /** Now, epoch ms on the real clock. */
  now(): number;
  /** ISO instant a claim taken (or renewed) now lasts until. */
  leaseUntil(): string;
  /** A send of `id` started here; its claim is renewed until {@link release}. */
  hold(id: number): void;
  /** The send of `id` has its outcome recorded (or was given up). */
  release(id: number): void;
  /** Is `id` being sent by this process right now? */
  holds(id: number): boolean;
  /**
   * True only when `owner` is known to be dead: a process of this machine's pid namespace (same
   * kernel boot) whose pid no longer exists, or an earlier process that had this very pid (a
   * container's pid 1 restarted). Its claims need not wait out their lease. False when unsure (another
   * machine or container, or an owner id without the tag): the lease decides.
   */
  isGone(owner: string): boolean;
  /** Stops renewing (after in-flight sends finished). */
  close(): void;
}

/** Options of {@link createLeaseKeeper}. */
export interface LeaseKeeperOptions {
  /** How long a claim lasts without renewal, in ms. */
  leaseMs: number;
  /** Extends the claims on `ids` until `leaseUntil` (ISO); a throw is logged and retried next round. */
  renew(ids: readonly number[], leaseUntil: string): Promise<void>;
  logger: Logger;
  /** Prefix of the owner id, e.g. the component (`outbox`). */
  label: string;
  /** Real-clock source, epoch ms; injected by tests. Default `Date.now`. */
  now?: () => number;
}

/** Owner ids created by this process (so none of them is ever judged dead here). */
const ownersHere = new Set<string>();
const OWNER_TAIL = /-p(\d+)-([0-9a-f]{12})$/;

/** A tag of this kernel boot and pid namespace; undefined where /proc cannot tell (then no owner is judged dead early). */
function namespaceTag(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = readlinkSync('/proc/self/ns/pid');
    return createHash('sha256').update(`${boot}\u0000${pidNamespace}`).digest('hex').slice(0, 12);
  } catch {
    return undefined;
  }
}
const TAG = namespaceTag();

function isGone(owner: string): boolean {
  const tail = OWNER_TAIL.exec(owner);
  if (!tail || TAG === undefined || tail[2] !== TAG || ownersHere.has(owner)) return false;
  const pid = Number(tail[1]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the pid exists (another user's process, maybe a reuse of it): not known to be dead.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function createLeaseKeeper(o: LeaseKeeperOptions): LeaseKeeper {
  const owner = `${o.label}-${randomBytes(6).toString('hex')}${TAG === undefined ? '' : `-p${process.pid}-${TAG}`}`;
  ownersHere.add(owner);
  const now = o.now ?? Date.now;
  /** id → when its claim was last written (epoch ms). */
  const held = new Map<number, number>();
  let renewing = false;
  const timer = setInterval(() => { void renewDue(); }, Math.max(50, Math.floor(o.leaseMs / 3)));
  timer.unref();

  async function renewDue(): Promise<void> {
    if (renewing || held.size === 0) return;
    const cutoff = now() - o.leaseMs / 3;
    const due = [...held].filter(([, at]) => at <= cutoff).map(([id]) => id);
    if (due.length === 0) return;
    renewing = true;
    const at = now();
    try {
      await o.renew(due, new Date(at + o.leaseMs).toISOString());
      for (const id of due) if (held.has(id)) held.set(id, at);
    } catch (err) {
      o.logger.warn({ err: String(err), count: due.length }, 'could not renew the claims of sends in flight; retried shortly');
    } finally {
      renewing = false;
    }
  }

  return {
    owner,
    leaseMs: o.leaseMs,
    now,
    leaseUntil: () => new Date(now() + o.leaseMs).toISOString(),
    hold: (id) => { held.set(id, now()); },
    release: (id) => { held.delete(id); },
    holds: (id) => held.has(id),
    isGone,
    close: () => clearInterval(timer),
  };
}
