import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, sourceFiles } from './import-graph.js';

/** Every source folder of the repository, tests included. */
const FOLDERS = ['src', 'flows', 'db', 'adapters', 'test'];

describe('no import loops (architecture.md)', () => {
  it('reads the imports it checks', () => {
    // Guards the walk itself: were imports not resolved, every loop would go unseen.
    const graph = importGraph(FOLDERS.flatMap(sourceFiles));
    expect(graph.get('src/outbox/deliver-one.ts')).toContain('src/outbox/types.ts');
    expect(graph.get('adapters/web/page/app.js')).toContain('adapters/web/page/api.js');
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]])))
      .toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('no two modules import each other, directly or round a circle (type-only imports count)', () => {
    const cycles = importCycles(importGraph(FOLDERS.flatMap(sourceFiles)));
    expect(cycles.map((c) => c.join(' ↔ '))).toEqual([]);
  });
});
