import { Redis } from 'ioredis';

/**
 * BullMQ queues, one per purpose, so a throttled broadcast never delays an interactive answer
 * (BullMQ rate limits are queue-wide).
 */
export const QUEUE_NAMES = {
  /** Interactive sends: answers, acknowledgements, notices to staff. */
  outbox: 'outbox',
  /** Reminders and escalations of inquiry deadlines. */
  deadlines: 'deadlines',
  /** Broadcast deliveries (one outbox row per recipient, `outbox.queue = 'notices'`). */
  notices: 'notices',
  /** Periodic housekeeping (calendar check, pruning), so it never waits behind sends or reminders. */
  maintenance: 'maintenance',
} as const;

/** The name of one of our BullMQ queues. */
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

function assertDbId(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

/** A process's id as it may appear in a job id: letters, digits and `-`. */
const INSTANCE_PATTERN = /^[A-Za-z0-9-]+$/;

/**
 * Job id of a wake-up of the outbox chat whose oldest pending row is `outboxId`, added by process
 * `instance`: `outbox-<id>-<instance>`, or `outbox-<id>-<instance>-t<dueMs>` for one delayed until
 * `dueMs` (epoch ms). Deterministic within a process, so waking the same chat twice adds one job;
 * never the id of a job a stopped process left active (its instance differs). Never contains `:`
 * and is never all digits (BullMQ rules).
 */
export function outboxJobId(outboxId: number, instance: string, dueMs?: number): string {
  assertDbId('outboxId', outboxId);
  if (!INSTANCE_PATTERN.test(instance)) throw new RangeError(`instance must match ${INSTANCE_PATTERN.source}: ${instance}`);
  if (dueMs !== undefined) assertDbId('dueMs', dueMs);
  return `outbox-${outboxId}-${instance}${dueMs === undefined ? '' : `-t${dueMs}`}`;
}

/** The outbox row id in an {@link outboxJobId} (or in a job id of earlier versions, `outbox-<id>`); `undefined` for any other id. */
export function parseOutboxJobId(jobId: string): number | undefined {
  const match = /^outbox-(\d+)(?:-[A-Za-z0-9-]+)?$/.exec(jobId);
  return match ? Number(match[1]) : undefined;
}

/**
 * Job id of an inquiry's deadline job: `deadline-<inquiryId>`. An inquiry has at most one: the
 * job of its next step, which the worker re-arms for the step after (see src/scheduler/deadlines).
 */
export function deadlineJobId(inquiryId: number): string {
  assertDbId('inquiryId', inquiryId);
  return `deadline-${inquiryId}`;
}

/** Where Redis listens: a URL (`redis://host:6379`, `rediss://…`) or a unix socket path. */
export type RedisTarget = { url: string } | { path: string };

/** A log-safe description of a target (no password). */
export function describeRedisTarget(target: RedisTarget): string {
  if ('path' in target) return `unix:${target.path}`;
  try {
    const url = new URL(target.url);
    url.password = '';
    url.username = '';
    return url.toString();
  } catch {
    return 'redis (unparseable url)';
  }
}

/**
 * Opens an ioredis client for BullMQ: `maxRetriesPerRequest: null` (required by workers, which
 * block and must wait through reconnects rather than fail commands) and `enableReadyCheck`.
 * `purpose` (e.g. `outbox`) becomes the client name shown by `CLIENT LIST`.
 * The caller owns the client and must `quit()` it; BullMQ never closes a client passed to it.
 */
export function createRedisConnection(target: RedisTarget, purpose: string): Redis {
  const options = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `liaison-${purpose.replace(/[^A-Za-z0-9_-]/g, '_')}`,
  };
  return 'path' in target ? new Redis({ ...options, path: target.path }) : new Redis(target.url, options);
}
