import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The bot's Prometheus collectors, all registered on {@link Metrics.registry}. */
export interface Metrics {
  /** Served at `GET /metrics`. */
  registry: Registry;
  /** `outbox_sent_total{platform}`: rows delivered. */
  outboxSentTotal: Counter<'platform'>;
  /** `outbox_failed_total{platform,reason}`: rows finally not delivered (`bad_request`, `max_attempts`, `unreachable`). */
  outboxFailedTotal: Counter<'platform' | 'reason'>;
  /** `outbox_rate_limited_total{platform}`: 429s and other slow-down answers (no attempt consumed). */
  outboxRateLimitedTotal: Counter<'platform'>;
  /** `outbox_delivery_seconds{platform}`: commit of the row (`created_at`) to delivery. */
  outboxDeliverySeconds: Histogram<'platform'>;
  /**
   * `outbox_stalled_chats_total{platform}`: chats found frozen behind a send whose process stopped
   * (its claim lapsed without an outcome); each is resumed at once.
   */
  outboxStalledChatsTotal: Counter<'platform'>;
  /** `outbox_resent_in_flight_total{platform}`: interrupted sends started again: the only possible repeats. */
  outboxResentInFlightTotal: Counter<'platform'>;
  /** `outbox_oldest_wait_seconds`: how long the longest-waiting chat's next due message has waited (last sweep). */
  outboxOldestWaitSeconds: Gauge;
  /** `inbound_events_total{platform,kind}`: events accepted from platforms. */
  inboundEventsTotal: Counter<'platform' | 'kind'>;
  /** `inbound_duplicates_total{platform}`: events dropped as already seen. */
  inboundDuplicatesTotal: Counter<'platform'>;
}

/**
 * Creates the collectors on `registry` (default: a new private registry, never prom-client's
 * global one, so tests and several instances never collide). Process metrics are not included:
 * call prom-client's `collectDefaultMetrics({ register: registry })` in the composition root if wanted.
 */
export function createMetrics(registry: Registry = new Registry()): Metrics {
  const registers = [registry];
  return {
    registry,
    outboxSentTotal: new Counter({
      name: 'outbox_sent_total', help: 'Outbox rows delivered', labelNames: ['platform'], registers,
    }),
    outboxFailedTotal: new Counter({
      name: 'outbox_failed_total', help: 'Outbox rows finally not delivered', labelNames: ['platform', 'reason'], registers,
    }),
    outboxRateLimitedTotal: new Counter({
      name: 'outbox_rate_limited_total', help: 'Sends postponed on a platform rate limit', labelNames: ['platform'], registers,
    }),
    outboxDeliverySeconds: new Histogram({
      name: 'outbox_delivery_seconds',
      help: 'Seconds from committing an outbox row to its delivery',
      labelNames: ['platform'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    outboxStalledChatsTotal: new Counter({
      name: 'outbox_stalled_chats_total', help: 'Chats frozen behind a send whose process stopped, resumed', labelNames: ['platform'], registers,
    }),
    outboxResentInFlightTotal: new Counter({
      name: 'outbox_resent_in_flight_total', help: 'Sends interrupted by a stop or crash and started again (possible repeats)', labelNames: ['platform'], registers,
    }),
    outboxOldestWaitSeconds: new Gauge({
      name: 'outbox_oldest_wait_seconds', help: 'Seconds the longest-waiting due outbox message has waited (last sweep)', registers,
    }),
    inboundEventsTotal: new Counter({
      name: 'inbound_events_total', help: 'Inbound events accepted', labelNames: ['platform', 'kind'], registers,
    }),
    inboundDuplicatesTotal: new Counter({
      name: 'inbound_duplicates_total', help: 'Inbound events dropped as duplicates', labelNames: ['platform'], registers,
    }),
  };
}

/**
 * Registers `db_statements_total`: statements this process sent to the database (BEGIN and
 * COMMIT included), read from `count` at each scrape (`DbHandle.statements`); with `commits`
 * (SQLite), `db_commits_total` too: the group commit's COMMITs (`DbHandle.commits`).
 */
export function registerDbStatements(registry: Registry, count: () => number, commits?: () => number): void {
  readCounter(registry, 'db_statements_total', 'Statements sent to the database (BEGIN and COMMIT included)', count);
  if (commits) readCounter(registry, 'db_commits_total', 'SQLite: COMMITs of the group commit (each makes a batch of writes durable)', commits);
}

/** A counter whose value is read from `read` at each scrape. */
function readCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let reported = 0;
  new Counter({
    name, help, registers: [registry],
    collect() {
      const now = read();
      // A handle swapped for a new one (tests) starts from 0 again: never count backwards.
      if (now > reported) this.inc(now - reported);
      reported = Math.max(reported, now);
    },
  });
}
