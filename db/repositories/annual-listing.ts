import Database from 'better-sqlite3';
import { PostgresAdapter, sql, type CompiledQuery } from 'kysely';
import type { Db } from '../client.js';
import type { InquiryStatus } from '../schema.js';
import { evidenceQuery, type EvidenceCursor, type EvidenceKind } from './stats-figures.js';

/**
 * An inquiry behind an annual-report figure as an array, in the columns of
 * {@link import('./stats-figures.js').EVIDENCE_COLUMNS}, the agency's id replaced by its name.
 */
export type EvidenceTuple = [
  id: number, code: string | null, agency: string | null, deadlineClass: string | null, status: InquiryStatus,
  receivedAt: string, dueAt: string | null, originalDueAt: string | null, closedAt: string | null, question: string,
];

/**
 * Rows per page of the listing on SQLite. Small on purpose: a page of 10,000 rows outlived V8's
 * young generation, and collecting it made reading a year of a million-inquiry network cost
 * 2.3–2.8 s of CPU instead of 0.8 s with pages of 500–1,000 (issue #15, README *Benchmarks*).
 */
export const SQLITE_LISTING_PAGE = 1000;

/**
 * Rows per page on PostgreSQL: each page is a round trip and a plan on the server (10–40 ms under
 * load), so larger pages; the rows arrive as arrays, which leave less to collect.
 */
export const POSTGRES_LISTING_PAGE = 5000;

/** Runs one page's compiled query and returns its rows as arrays; `close` frees what it opened. */
interface PageRunner {
  run(q: CompiledQuery): Promise<unknown[][]>;
  pageSize: number;
  close(): void;
}

/**
 * The inquiries behind a figure (see {@link EvidenceKind}) a page at a time, as arrays, in the
 * order of the index the query walks, `pageSize` rows a page (default: the dialect's); the next
 * page is asked for before this one is handed on.
 *
 * This one hot path bypasses kysely's result objects (the query is still built by kysely):
 * turning ~330,000 rows a year into objects, twice, was most of the report's CPU time. SQLite:
 * a read-only connection of its own on the same file, with better-sqlite3's `.raw()` rows (the
 * application's connection is behind db/client.ts, which exposes no raw handle; WAL lets both
 * read at once). PostgreSQL: pg's `rowMode: 'array'` through kysely's own pool (kysely hands the
 * query's text to `pg.Client#query`, which also takes a query config). An in-memory SQLite
 * database (tests) is read through kysely and its rows turned into arrays.
 */
export async function* evidenceTuplePages(
  db: Db, kind: EvidenceKind, fromIso: string, toIso: string, orgIds: readonly number[] | null, orgNames: ReadonlyMap<number, string>, pageSize?: number,
): AsyncGenerator<EvidenceTuple[]> {
  const runner = await pageRunner(db);
  const size = pageSize ?? runner.pageSize;
  const read = (after: EvidenceCursor | null) => {
    const page = runner.run(evidenceQuery(db, kind, fromIso, toIso, orgIds, after, size).compile());
    // A caller that stops early never awaits the page read ahead: its failure is not unhandled.
    page.catch(() => undefined);
    return page;
  };
  try {
    for (let next = read(null); ;) {
      const rows = await next;
      const last = rows[rows.length - 1];
      if (rows.length === size && last) next = read({ at: String(kind === 'replied_earlier' ? last[8] : last[5]), id: Number(last[0]) });
      for (const r of rows) {
        r[0] = Number(r[0]);
        r[2] = r[2] === null ? null : orgNames.get(Number(r[2])) ?? null;
      }
      yield rows as EvidenceTuple[];
      if (rows.length < size) return;
    }
  } finally {
    runner.close();
  }
}

async function pageRunner(db: Db): Promise<PageRunner> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return postgresRunner(db);
  const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db)).rows[0]?.file ?? '';
  if (file === '') return { pageSize: SQLITE_LISTING_PAGE, run: async (q) => (await db.executeQuery<Record<string, unknown>>(q)).rows.map((r) => Object.values(r)), close: () => undefined };
  const own = new Database(file, { readonly: true, fileMustExist: true });
  const statements = new Map<string, Database.Statement>();
  return {
    pageSize: SQLITE_LISTING_PAGE,
    run: async (q) => {
      let s = statements.get(q.sql);
      if (!s) statements.set(q.sql, s = own.prepare(q.sql).raw(true));
      return s.all(...q.parameters) as unknown[][];
    },
    close: () => { own.close(); },
  };
}

function postgresRunner(db: Db): PageRunner {
  return {
    pageSize: POSTGRES_LISTING_PAGE,
    run: async (q) => {
      // pg reads a query config where kysely passes the text: the rows come back as arrays.
      const config = { text: q.sql, rowMode: 'array' } as unknown as string;
      const rows = (await db.executeQuery<unknown>({ ...q, sql: config })).rows;
      // Should kysely ever pass something else on, the rows are objects in the select's order.
      return rows.map((r) => (Array.isArray(r) ? r : Object.values(r as Record<string, unknown>)));
    },
    close: () => undefined,
  };
}
