import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (absolute path, trailing slash). */
export const ROOT = new URL('../..', import.meta.url).pathname;

const SOURCE = /\.(ts|mts|mjs|js)$/;

/** Every source file under `dir` (relative to the root), recursively; `.d.ts` included. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sourceFiles(path) : SOURCE.test(name) ? [path] : [];
  });
}

/**
 * Module specifiers a file imports: static imports and re-exports (type-only ones too: a loop of
 * types is still a loop of modules) and dynamic `import('…')` with a literal. Relative specifiers
 * come back relative to the root (`src/outbox/types.js`), others as written. Lines inside template
 * strings that look like imports (generated code) are read too; they are rare and name no file here.
 */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', s)) : s));
}

/** The source file a root-relative specifier names (`x.js` → `x.ts`, a folder → its index), if any. */
export function resolveFile(spec: string): string | undefined {
  const stem = spec.replace(/\.(m?js|ts)$/, '');
  const candidates = [spec, `${stem}.ts`, `${stem}.mts`, `${stem}.d.ts`, `${stem}.mjs`, `${stem}.js`, join(spec, 'index.ts')];
  return candidates.find((c) => existsSync(join(ROOT, c)) && statSync(join(ROOT, c)).isFile());
}

/** Edges between the given files: file → the files (of this set) it imports. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(files.map((f) => [f, [...new Set(importsOf(f)
    .map((s) => (s.startsWith('.') || /^(src|flows|db|adapters|test)\//.test(s) ? resolveFile(s) : undefined))
    .filter((t): t is string => t !== undefined && known.has(t)))]]));
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). Each sorted. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
