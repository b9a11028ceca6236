import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './import-graph.js';

/**
 * Signs of SQL being written: kysely query builders, the `sql` template tag and its helpers, and
 * executing a built query (`.execute()` / `.executeTakeFirst()` with no argument; opening a
 * transaction, `db.transaction().execute(fn)`, is a unit of work and stays with the caller).
 */
const SQL_SIGNS: readonly [string, RegExp][] = [
  ['query builder', /\.(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\s*\(/],
  ['sql template', /\bsql\s*(<[^`]*>)?\s*`/],
  ['sql helper', /\bsql\s*\.\s*(raw|ref|lit|id|table|join|val)\b/],
  ['sql import', /import\s*\{[^}]*\bsql\b[^}]*\}\s*from\s*['"]kysely['"]/],
  ['run a built query', /\.(execute|executeTakeFirst|executeTakeFirstOrThrow)\s*\(\s*\)|\.executeQuery\s*\(/],
];

/** `file:line  kind` for every sign of SQL in `files`. */
function sqlOutside(files: readonly string[]): string[] {
  return files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').split('\n').flatMap((line, i) =>
    SQL_SIGNS.filter(([, re]) => re.test(line)).map(([kind]) => `${file}:${i + 1}  ${kind}`)));
}

describe('SQL lives only in db/ (architecture.md)', () => {
  it('sees SQL where it is allowed (guards the patterns)', () => {
    expect(sqlOutside(['db/repositories/outbox.ts']).length).toBeGreaterThan(5);
    expect(sqlOutside(['db/client.ts']).some((s) => s.endsWith('sql template'))).toBe(true);
  });

  it('src/, flows/ and adapters/ build no query: they call a repository in db/repositories/', () => {
    expect(sqlOutside(['src', 'flows', 'adapters'].flatMap(sourceFiles))).toEqual([]);
  });
});
