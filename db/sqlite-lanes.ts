import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import { GroupCommit } from './sqlite-group-commit.js';
import { withStatementCache } from './sqlite-statement-cache.js';

/** Holders waiting on the normal lane from which a batch's COMMIT waits behind them (they join it). */
const QUEUE_TO_GROUP = 2;

/** Which queue a statement waits in for the one SQLite connection. */
export type SqliteLane = 'normal' | 'priority';

/** The two lanes' dialects, and what their shared connection counts. */
export interface SqliteLanes extends Record<SqliteLane, SqliteDialect> {
  /** Callers' transactions' savepoints and releases (or rollbacks), which kysely's log does not see; see `GroupCommit.controlStatements`. */
  controlStatements(): number;
  /** COMMITs so far (each one the durable end of a batch). */
  commits(): number;
}

/**
 * Two kysely dialects over ONE better-sqlite3 connection. SQLite has a single connection, and a
 * transaction holds it from BEGIN to COMMIT, so everything else waits in line; kysely's own line
 * is first come, first served (and wakes every waiter at each release). Here the line has two
 * queues: whoever waits on the `priority` lane gets the connection as soon as the current holder
 * releases it, before everything waiting on `normal`. The priority lane is for short statements
 * on a request path — storing an inbound event before its webhook is acknowledged, the health
 * probe — so an ack waits for at most the one transaction in progress, never for the backlog.
 * Writes are committed in groups (db/sqlite-group-commit.ts).
 */
export function createSqliteLanes(database: BetterSqlite3.Database, busyTimeoutMs: number): SqliteLanes {
  const shared = createSharedConnection(database, busyTimeoutMs);
  return {
    normal: new LaneDialect(database, shared, 'normal'),
    priority: new LaneDialect(database, shared, 'priority'),
    controlStatements: () => shared.group.controlStatements(),
    commits: () => shared.group.commitCount(),
  };
}

/** One connection, its group commit, a two-queue lock in front of it, and how many lanes still use it. */
interface SharedConnection {
  group: GroupCommit;
  lock: PriorityLock;
  /** Commits the open batch at the next turn, when the lock comes to `lane`'s turn (default: see createSharedConnection). */
  commitSoon(lane?: SqliteLane): void;
  /** Commits what is pending and closes the database once every lane that was opened has been destroyed. */
  release(): Promise<void>;
  users: number;
}

function createSharedConnection(database: BetterSqlite3.Database, busyTimeoutMs: number): SharedConnection {
  const lock = createPriorityLock();
  const cached = withStatementCache(database);
  let reader: ReturnType<typeof withStatementCache> | undefined;
  const openReader = () => (reader ??= withStatementCache(readerOf(database, busyTimeoutMs)));
  const commitWhenFree = async (lane: SqliteLane) => {
    await lock.acquire(lane);
    try {
      group.commitNow();
    } finally {
      lock.release();
    }
  };
  const commitSoon = (lane?: SqliteLane) => {
    setImmediate(() => void commitWhenFree(lane ?? (lock.waiting().normal >= QUEUE_TO_GROUP ? 'normal' : 'priority')));
  };
  // Under load, the batch's COMMIT queues behind the work already waiting for the connection, so
  // its writes join the batch; otherwise (and for a statement on the priority lane: an ack waits
  // for it) it goes first, as there is nobody to share it with.
  const group = new GroupCommit(cached, () => commitSoon(), busyTimeoutMs, database.memory ? undefined : openReader);
  const shared: SharedConnection = {
    group, lock, users: 0, commitSoon,
    release: async () => {
      shared.users -= 1;
      if (shared.users > 0) return;
      await commitWhenFree('normal');
      reader?.close();
      cached.close();
    },
  };
  return shared;
}

/** A second connection to `database`'s file, for reads only (`query_only`): it sees what is committed. */
function readerOf(database: BetterSqlite3.Database, busyTimeoutMs: number): BetterSqlite3.Database {
  const reader = new Database(database.name, { fileMustExist: true });
  reader.pragma('query_only = ON');
  reader.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return reader;
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

/**
 * The connection as one holder of the lock sees it. A statement outside the holder's own
 * transaction lets the lock go as soon as it has run, before it waits for its batch's commit, so
 * others' statements join the same batch; a further statement takes the lock again.
 */
class LaneConnection implements DatabaseConnection {
  private inUnit = false;
  private held = true;

  constructor(private readonly shared: SharedConnection, private readonly lane: SqliteLane) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inUnit) return this.shared.group.runInUnit(query) as QueryResult<R>;
    if (!this.held) {
      await this.shared.lock.acquire(this.lane);
      this.held = true;
    }
    if (this.shared.group.needsBatch(query)) await this.shared.group.open();
    const { result, durable } = this.shared.group.run(query);
    if (durable) {
      if (this.lane === 'priority') this.shared.commitSoon('priority');
      this.letGo();
      await durable;
    }
    return result as QueryResult<R>;
  }

  // eslint-disable-next-line require-yield -- nothing streams from SQLite here; a clear refusal over a silent half-feature.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming SQLite queries is not supported (group commit)');
  }

  async begin(): Promise<void> {
    await this.shared.group.open();
    this.shared.group.beginUnit();
    this.inUnit = true;
  }

  async commit(): Promise<void> {
    this.inUnit = false;
    const durable = this.shared.group.commitUnit();
    if (this.lane === 'priority') this.shared.commitSoon('priority');
    this.letGo();
    await durable;
  }

  rollback(): void {
    if (!this.inUnit) return;
    this.inUnit = false;
    this.shared.group.rollbackUnit();
  }

  /** Releases the lock if this holder still has it (at the end, or before waiting for a commit). */
  letGo(): void {
    if (!this.held) return;
    this.held = false;
    this.shared.lock.release();
  }
}

function createLaneDriver(shared: SharedConnection, lane: SqliteLane): Driver {
  let destroyed = false;
  const unsupported = () => Promise.reject(new Error('SQLite savepoints inside a transaction are not supported (group commit)'));
  return {
    init: () => Promise.resolve(),
    async acquireConnection(): Promise<DatabaseConnection> {
      await shared.lock.acquire(lane);
      return new LaneConnection(shared, lane);
    },
    beginTransaction: (c: DatabaseConnection, _s: TransactionSettings) => (c as LaneConnection).begin(),
    commitTransaction: (c) => (c as LaneConnection).commit(),
    rollbackTransaction: async (c) => { (c as LaneConnection).rollback(); },
    savepoint: unsupported,
    rollbackToSavepoint: unsupported,
    releaseSavepoint: unsupported,
    async releaseConnection(c) {
      (c as LaneConnection).letGo();
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
