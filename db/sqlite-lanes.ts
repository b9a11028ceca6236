import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import { withStatementCache } from './sqlite-statement-cache.js';

/** Which queue a statement waits in for the one SQLite connection. */
export type SqliteLane = 'normal' | 'priority';

/**
 * Two kysely dialects over ONE better-sqlite3 connection. SQLite has a single connection, and a
 * transaction holds it from BEGIN to COMMIT, so everything else waits in line; kysely's own line
 * is first come, first served (and wakes every waiter at each release). Here the line has two
 * queues: whoever waits on the `priority` lane gets the connection as soon as the current holder
 * releases it, before everything waiting on `normal`. The priority lane is for short statements
 * on a request path — storing an inbound event before its webhook is acknowledged, the health
 * probe — so an ack waits for at most the one transaction in progress, never for the backlog.
 */
export function createSqliteLanes(database: BetterSqlite3.Database): Record<SqliteLane, SqliteDialect> {
  const shared = createSharedConnection(database);
  return { normal: new LaneDialect(database, shared, 'normal'), priority: new LaneDialect(database, shared, 'priority') };
}

/** One connection (kysely's SQLite driver), a two-queue lock in front of it, and how many lanes still use it. */
interface SharedConnection {
  inner: Driver;
  lock: PriorityLock;
  init(): Promise<void>;
  /** Closes the database once every lane that was opened has been destroyed. */
  release(): Promise<void>;
  users: number;
}

function createSharedConnection(database: BetterSqlite3.Database): SharedConnection {
  const inner = new SqliteDialect({ database: withStatementCache(database) }).createDriver();
  let initialised: Promise<void> | undefined;
  const shared: SharedConnection = {
    inner, lock: createPriorityLock(), users: 0,
    init: () => (initialised ??= inner.init()),
    release: async () => {
      shared.users -= 1;
      if (shared.users <= 0) await inner.destroy();
    },
  };
  return shared;
}

class LaneDialect extends SqliteDialect {
  constructor(database: BetterSqlite3.Database, private readonly shared: SharedConnection, private readonly lane: SqliteLane) {
    super({ database });
  }

  override createDriver(): Driver {
    this.shared.users += 1;
    return createLaneDriver(this.shared, this.lane);
  }
}

function createLaneDriver(shared: SharedConnection, lane: SqliteLane): Driver {
  const { inner } = shared;
  let destroyed = false;
  return {
    init: () => shared.init(),
    async acquireConnection(): Promise<DatabaseConnection> {
      await shared.lock.acquire(lane);
      try {
        // Uncontended: only the holder of our lock gets this far.
        return await inner.acquireConnection();
      } catch (err) {
        shared.lock.release();
        throw err;
      }
    },
    beginTransaction: (c: DatabaseConnection, s: TransactionSettings) => inner.beginTransaction(c, s),
    commitTransaction: (c) => inner.commitTransaction(c),
    rollbackTransaction: (c) => inner.rollbackTransaction(c),
    savepoint: (c, name, compile) => inner.savepoint!(c, name, compile),
    rollbackToSavepoint: (c, name, compile) => inner.rollbackToSavepoint!(c, name, compile),
    releaseSavepoint: (c, name, compile) => inner.releaseSavepoint!(c, name, compile),
    async releaseConnection(c) {
      try {
        await inner.releaseConnection(c);
      } finally {
        shared.lock.release();
      }
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await shared.release();
    },
  };
}

/** A lock with two FIFO queues; releasing hands it to the oldest priority waiter, else the oldest normal one. */
export interface PriorityLock {
  acquire(lane: SqliteLane): Promise<void>;
  release(): void;
  /** How many wait in each queue (for tests and metrics). */
  waiting(): Record<SqliteLane, number>;
}

/** Creates a free {@link PriorityLock}. */
export function createPriorityLock(): PriorityLock {
  let held = false;
  const queues: Record<SqliteLane, Array<() => void>> = { normal: [], priority: [] };
  return {
    acquire(lane) {
      if (!held) {
        held = true;
        return Promise.resolve();
      }
      return new Promise((resolve) => queues[lane].push(resolve));
    },
    release() {
      // Ownership passes straight to the next waiter: nobody can slip in between.
      const next = queues.priority.shift() ?? queues.normal.shift();
      if (next) next();
      else held = false;
    },
    waiting: () => ({ normal: queues.normal.length, priority: queues.priority.length }),
  };
}
