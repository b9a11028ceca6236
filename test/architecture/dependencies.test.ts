import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, ROOT, sourceFiles } from './import-graph.js';

function offenders(dir: string, forbidden: (spec: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((f) => importsOf(f).filter(forbidden).map((s) => `${f} → ${s}`));
}

describe('dependency direction (architecture.md)', () => {
  it('flows import only adapters/types.ts from adapters, and nothing from src/ or an SDK', () => {
    const sdk = /^(telegraf|zca-js|bullmq|ioredis|fastify|pg|better-sqlite3)(\/|$)/;
    expect(offenders('flows', (s) => s.startsWith('src/') || sdk.test(s) || (s.startsWith('adapters/') && s !== 'adapters/types.js'))).toEqual([]);
  });

  it('db/ depends on nothing above it', () => {
    expect(offenders('db', (s) => s.startsWith('src/') || s.startsWith('flows/') || (s.startsWith('adapters/') && s !== 'adapters/types.js'))).toEqual([]);
  });

  it('telegraf is imported only inside adapters/telegram/', () => {
    const all = ['src', 'flows', 'db', 'adapters'].flatMap(sourceFiles);
    const users = all.filter((f) => importsOf(f).some((s) => /^telegraf(\/|$)/.test(s)));
    expect(users.length).toBeGreaterThan(0);
    expect(users.filter((f) => !f.startsWith('adapters/telegram/'))).toEqual([]);
  });

  it('zca-js is imported only by the seam adapters/zalo-personal/zca.ts', () => {
    const all = ['src', 'flows', 'db', 'adapters'].flatMap(sourceFiles);
    const users = all.filter((f) => importsOf(f).some((s) => /^zca-js(\/|$)/.test(s)));
    expect(users).toEqual(['adapters/zalo-personal/zca.ts']);
  });

  it('adapters never import flows or the database', () => {
    expect(offenders('adapters', (s) => s.startsWith('flows/') || s.startsWith('db/'))).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = ['src', 'flows', 'db', 'adapters'].flatMap(sourceFiles)
      .filter((f) => /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(readers).toEqual(['src/config.ts']);
  });
});
