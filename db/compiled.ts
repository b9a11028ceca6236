import type { Compilable, CompiledQuery, QueryResult, RawBuilder, RootOperationNode } from 'kysely';
import type { Db } from './client.js';

/** Stands for the builder's argument `index` while its statement is compiled; never reaches the database. */
class Slot {
  constructor(readonly index: number) {}
}

/** A statement compiled once: its text, and its parameters with {@link Slot}s where the arguments go. */
interface Template {
  sql: string;
  query: RootOperationNode;
  parameters: readonly unknown[];
}

/** What a builder gives: a query builder, or a `sql` template. */
type Statement<O> = Compilable<O> | RawBuilder<O>;

function compileNow<O>(db: Db, q: Statement<O>): CompiledQuery<O> {
  return 'isRawBuilder' in q ? q.compile(db) : q.compile();
}

/** Per database handle (its adapter, shared by its transactions), per builder, per shape (a row's columns). */
const templates = new WeakMap<object, Map<object, Map<string, Template>>>();
const QUERY_ID = Object.freeze({ queryId: 'compiled-once' });

/**
 * A statement on the inquiry path, built and compiled by kysely once per database handle instead
 * of at every run: `build` runs once with placeholders for its arguments, and each run binds the
 * real ones into the compiled text. On the inquiry benchmark kysely's building and compiling was
 * about a sixth of the bot's CPU (call sites that see every statement shape run slowly) and most
 * of what it allocates. `build` must use each argument only as a value of the statement — never
 * branch on it, transform it or pass it as an `in` list — which is checked when it is compiled
 * (an argument that does not reach the parameters throws). A handle with kysely plugins (the
 * tests' fault injection) builds every run, so the plugins see every statement as before.
 * Returns kysely's raw result: `rows`, and `numAffectedRows` for writes.
 */
export function compiledOnce<A extends unknown[], O>(build: (db: Db, ...args: A) => Statement<O>): (db: Db, ...args: A) => Promise<QueryResult<O>> {
  return async (db, ...args) => {
    if (db.getExecutor().plugins.length > 0) return db.executeQuery(compileNow(db, build(db, ...args)));
    // Keyed by the number of arguments too: a builder with an optional one compiles once for each.
    const template = templateOf(db, build, String(args.length), args.length, (slots) => build(db, ...(slots as A)));
    return run(db, template, args);
  };
}

/**
 * {@link compiledOnce} for a statement that writes row objects: `row` is one row (`values(row)`,
 * `set(row)`) or an object of rows (a statement writing to several tables), compiled once per
 * builder and set of columns (those whose value is not `undefined`, which kysely leaves out).
 * The values must be plain values, not expressions: a statement's fixed expressions belong in
 * `build`.
 */
export function compiledRowOnce<R extends object, O>(build: (db: Db, row: R) => Statement<O>): (db: Db, row: R) => Promise<QueryResult<O>> {
  return async (db, row) => {
    if (db.getExecutor().plugins.length > 0) return db.executeQuery(compileNow(db, build(db, row)));
    const values = flatten(row);
    const paths = [...values.keys()];
    const template = templateOf(db, build, paths.join(','), paths.length, (slots) => build(db, unflatten(paths, slots) as R));
    return run(db, template, [...values.values()]);
  };
}

/** A row's values by column, or an object of rows' values by `row.column`; `undefined` left out. */
function flatten(row: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(row)) {
    if (v === undefined) continue;
    if (prefix === '' && isPlainObject(v)) {
      for (const [path, inner] of flatten(v, `${k}.`)) out.set(path, inner);
    } else if (typeof v === 'object' && v !== null && 'toOperationNode' in v) {
      throw new TypeError(`compiledRowOnce: the value of ${prefix}${k} is an expression (put fixed expressions in the builder)`);
    } else out.set(`${prefix}${k}`, v);
  }
  return out;
}

function unflatten(paths: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  paths.forEach((path, i) => {
    const [outer, inner] = path.split('.') as [string, string | undefined];
    if (inner === undefined) out[outer] = values[i];
    else ((out[outer] ??= {}) as Record<string, unknown>)[inner] = values[i];
  });
  return out;
}

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function run<O>(db: Db, template: Template, args: readonly unknown[]): Promise<QueryResult<O>> {
  const parameters = template.parameters.map((p) => (p instanceof Slot ? bound(args, p.index) : p));
  const compiled: CompiledQuery<O> = { sql: template.sql, query: template.query, parameters, queryId: QUERY_ID };
  return db.executeQuery(compiled);
}

/** kysely leaves a column out for `undefined`; a compiled statement has it, so a caller must say null. */
function bound(args: readonly unknown[], index: number): unknown {
  const value = args[index];
  if (value === undefined) throw new TypeError(`compiledOnce: argument ${index} is undefined (pass null for a missing value)`);
  return value;
}

function templateOf(db: Db, build: object, shape: string, arity: number, compile: (slots: unknown[]) => Statement<unknown>): Template {
  const adapter = db.getExecutor().adapter;
  let byBuilder = templates.get(adapter);
  if (!byBuilder) templates.set(adapter, (byBuilder = new Map()));
  let byShape = byBuilder.get(build);
  if (!byShape) byBuilder.set(build, (byShape = new Map()));
  let template = byShape.get(shape);
  if (!template) {
    const { sql, query, parameters } = compileNow(db, compile(Array.from({ length: arity }, (_, i) => new Slot(i))));
    const used = new Set(parameters.filter((p): p is Slot => p instanceof Slot).map((p) => p.index));
    for (let i = 0; i < arity; i += 1) {
      if (!used.has(i)) throw new Error(`compiledOnce: argument ${i} is not a parameter of the statement (the builder must use its arguments only as values)`);
    }
    template = { sql, query, parameters };
    byShape.set(shape, template);
  }
  return template;
}
