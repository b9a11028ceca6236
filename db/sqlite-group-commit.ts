import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, QueryResult } from 'kysely';
import { performance } from 'node:perf_hooks';

/** What the group commit needs of the connection: prepared (cached) statements and raw SQL. */
export interface GroupCommitDatabase {
  prepare(sql: string): BetterSqlite3.Statement;
  exec(sql: string): void;
  readonly inTransaction: boolean;
}

/** Outcome of one statement: its result, and when it must wait for a commit, that commit. */
interface Ran {
  result: QueryResult<unknown>;
  durable?: Promise<void>;
}

/** One open transaction shared by everyone who wrote in it, and its outcome. */
interface Batch {
  durable: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Statements SQLite refuses or ignores inside a transaction; the batch is committed before them. */
const OUTSIDE_TRANSACTION = /^\s*(pragma|vacuum|attach|detach|begin|commit|end|rollback|savepoint|release)\b/i;
/** The savepoint a caller's own transaction becomes inside the batch (one at a time: the lock is held). */
const UNIT = 'liaison_unit';
const BUSY = /^SQLITE_BUSY/;
/** Longest pause between two tries of BEGIN IMMEDIATE while another connection writes, in ms. */
const MAX_BUSY_DELAY_MS = 20;

/**
 * Group commit for the one SQLite connection. Each write used to be its own transaction, and a
 * commit writes every page the transaction touched to the WAL: on the inquiry path that was most
 * of SQLite's time (the same outbox, inquiry and index pages written again for each flow and
 * each delivery). Here the writes of everyone who gets the connection before the next COMMIT
 * share one transaction (`BEGIN IMMEDIATE` … `COMMIT`), and a caller's own transaction is a
 * savepoint inside it. Nothing is reported done before it is durable: a write resolves only after
 * the COMMIT; if the COMMIT fails, every write of the batch fails with its error (callers retry
 * as for any database error). A read runs at once: alone when no batch is open, else on the
 * reader connection, which sees what is committed.
 *
 * The caller holds the connection's lock while it runs statements (db/sqlite-lanes.ts);
 * `scheduleCommit` arranges for a function that takes the lock, calls {@link commitNow} and
 * releases it.
 */
export class GroupCommit {
  private batch: Batch | undefined;
  private commits = 0;
  private controls = 0;

  /**
   * `busyTimeoutMs`: how long {@link open} waits for another connection's write, as SQLite's
   * `busy_timeout` (which stays set for everything else). `reader`: a second connection to the
   * same file (none for `:memory:`), opened on first use, for reads while a batch is open.
   */
  constructor(
    private readonly db: GroupCommitDatabase,
    private readonly scheduleCommit: () => void,
    private readonly busyTimeoutMs: number,
    private readonly reader?: () => Pick<GroupCommitDatabase, 'prepare'>,
  ) {}

  /** COMMITs handed to SQLite so far (for tests and the benchmark). */
  commitCount(): number {
    return this.commits;
  }

  /**
   * Control statements of callers' transactions so far (each one's savepoint, and its release
   * or rollback), as their BEGIN and COMMIT were counted before. The batches' own BEGIN and
   * COMMIT stand for the transaction each plain statement had on its own, which was not
   * counted: {@link commitCount} counts them.
   */
  controlStatements(): number {
    return this.controls;
  }

  /** Whether `query`, run now outside a caller's transaction, needs a batch opened ({@link open}) first. */
  needsBatch(query: CompiledQuery): boolean {
    return !this.batch && !OUTSIDE_TRANSACTION.test(query.sql) && !this.db.prepare(query.sql).readonly;
  }

  /**
   * Opens a batch unless one is open (the lock held): BEGIN IMMEDIATE, so its writes never wait.
   * While another connection to the file writes, waits for it without blocking the thread, up to
   * the busy timeout, then fails with SQLITE_BUSY. SQLite's own busy wait would block the thread,
   * and with it the COMMIT it waits for when that writer is another handle in this process.
   */
  async open(): Promise<void> {
    const giveUpAt = performance.now() + this.busyTimeoutMs;
    for (let delayMs = 1; !this.batch; delayMs = Math.min(delayMs * 2, MAX_BUSY_DELAY_MS)) {
      try {
        this.begin();
        return;
      } catch (err) {
        if (!BUSY.test(String((err as { code?: unknown }).code)) || performance.now() >= giveUpAt) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  /**
   * Runs a statement outside any caller's transaction (the lock held, a batch opened when
   * {@link needsBatch} said so). Returns the result, and when the statement wrote, the commit to
   * wait for. Throws what SQLite throws; if the error ended the
   * batch's transaction, the whole batch fails with it. A read while a batch is open runs on the
   * reader: it sees what is committed, as if it had run just before the batch's writes, and it
   * waits for nobody (inside the batch it would wait for the COMMIT, and a flow's reads before
   * its transaction would each wait for one).
   */
  run(query: CompiledQuery): Ran {
    const stmt = this.db.prepare(query.sql);
    if (OUTSIDE_TRANSACTION.test(query.sql)) {
      this.commitNow();
      return { result: this.execute(stmt, query) };
    }
    if (stmt.readonly && (!this.batch || this.reader)) {
      return { result: this.execute(this.batch ? this.reader!().prepare(query.sql) : stmt, query) };
    }
    if (!this.batch) this.begin();
    return { result: this.guarded(() => this.execute(stmt, query)), durable: this.batch!.durable };
  }

  /** Runs a statement inside a caller's transaction (begun with {@link beginUnit}). */
  runInUnit(query: CompiledQuery): QueryResult<unknown> {
    if (!this.batch) throw new Error('the SQLite batch holding this transaction has failed');
    return this.guarded(() => this.execute(this.db.prepare(query.sql), query));
  }

  /** Starts a caller's transaction (the lock held, a batch {@link open}): a savepoint in the batch. */
  beginUnit(): void {
    if (!this.batch) this.begin();
    this.guarded(() => this.control(`savepoint ${UNIT}`));
  }

  /** Ends a caller's transaction well; returns the commit that makes it durable. */
  commitUnit(): Promise<void> {
    if (!this.batch) throw new Error('the SQLite batch holding this transaction has failed');
    this.guarded(() => this.control(`release ${UNIT}`));
    return this.batch.durable;
  }

  /** Undoes a caller's transaction; the rest of the batch stays. */
  rollbackUnit(): void {
    if (!this.batch || !this.db.inTransaction) return;
    this.guarded(() => { this.control(`rollback to ${UNIT}`); this.control(`release ${UNIT}`); });
  }

  /** COMMITs the open batch (the lock held) and settles its waiters; a no-op with none open. */
  commitNow(): void {
    const batch = this.batch;
    if (!batch) return;
    try {
      this.commits += 1;
      this.db.exec('commit');
    } catch (err) {
      this.fail(err);
      return;
    }
    this.batch = undefined;
    batch.resolve();
  }

  /** BEGIN IMMEDIATE without SQLite's blocking busy wait (SQLITE_BUSY at once if another connection writes). */
  private begin(): void {
    this.db.exec('pragma busy_timeout = 0');
    try {
      this.db.exec('begin immediate');
    } finally {
      this.db.exec(`pragma busy_timeout = ${this.busyTimeoutMs}`);
    }
    const batch = {} as Batch;
    batch.durable = new Promise<void>((resolve, reject) => { batch.resolve = resolve; batch.reject = reject; });
    // A batch nobody waits on (every statement in it failed) must not be an unhandled rejection.
    batch.durable.catch(() => undefined);
    this.batch = batch;
    this.scheduleCommit();
  }

  /** Runs `work`; when its error ended the transaction (SQLite rolled it all back), fails the batch. */
  private guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (this.batch && !this.db.inTransaction) this.fail(err);
      throw err;
    }
  }

  private fail(err: unknown): void {
    const batch = this.batch;
    if (this.db.inTransaction) {
      try {
        this.db.exec('rollback');
      } catch {
        // Already rolled back by SQLite: nothing of the batch remains either way.
      }
    }
    this.batch = undefined;
    batch?.reject(err);
  }

  /** A caller's transaction's own control statement: counted, as its BEGIN and COMMIT were before. */
  private control(sql: string): void {
    this.controls += 1;
    this.db.exec(sql);
  }

  private execute(stmt: BetterSqlite3.Statement, query: CompiledQuery): QueryResult<unknown> {
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}
