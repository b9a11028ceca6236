#!/usr/bin/env node
// The `liaison` command. It bundles the TypeScript sources with esbuild (a fraction of a second)
// and runs plain JavaScript: a TypeScript loader inside a long-running bot costs ~50 MB of memory.
// The bundle is a build cache under node_modules/.cache, outside the repository's fixed layout.
// On a fresh machine node_modules may be missing: it is installed first (npm ci), so nothing from
// node_modules is imported before that.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { ensureDependencies } from './setup/dependencies.mjs';

// V8 grows the heap lazily; for a long-running bot whose live heap is small, growing it slowly
// keeps resident memory well under 200 MB at a small cost in throughput (see README, Benchmarks).
// Every file the bot writes (database, Redis files, exports, sessions) is private to its user: 600
// for files and 700 for folders, set before anything is opened (issue #10).
process.umask(0o077);
if (process.argv[2] === 'start') setFlagsFromString('--optimize-for-size');

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = `${root}node_modules/.cache/liaison`;

if (!ensureDependencies(root)) process.exit(1);
const { build } = await import('esbuild');

// Only the path is kept: the bundle's text (~3.5 MB with its map) is garbage once written.
const bundle = placeBundle((await build({
  entryPoints: [`${root}src/cli.ts`],
  outfile: `${cacheDir}/cli.mjs`,
  write: false,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'error',
  define: { __LIAISON_ROOT__: JSON.stringify(root) },
})).outputFiles);
process.setSourceMapsEnabled(true);
await import(pathToFileURL(bundle).href);

/**
 * Writes the bundle under a name made of its content's hash, each file to a temporary name first
 * and then renamed: several `liaison` commands started at once (a bot and an operator's report,
 * or tests in parallel) each import a complete file, never one another process is still writing
 * (with one shared `cli.mjs`, a command once imported it empty and printed nothing). Bundles of
 * earlier sources are removed after an hour (a process that started from one has imported it).
 * Returns the bundle's path.
 */
function placeBundle(files) {
  const js = files.find((f) => f.path.endsWith('.mjs'));
  const map = files.find((f) => f.path.endsWith('.mjs.map'));
  const name = `cli-${createHash('sha256').update(js.contents).update(map?.contents ?? '').digest('hex').slice(0, 16)}.mjs`;
  const target = `${cacheDir}/${name}`;
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const place = (path, text) => {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, path);
  };
  if (map) place(`${target}.map`, map.contents);
  place(target, js.text.replace(/\/\/# sourceMappingURL=cli\.mjs\.map\s*$/, `//# sourceMappingURL=${name}.map\n`));
  const hourAgo = Date.now() - 3_600_000;
  for (const file of readdirSync(cacheDir)) {
    const path = `${cacheDir}/${file}`;
    if (file.startsWith('cli') && !file.startsWith(name) && statSync(path).mtimeMs < hourAgo) rmSync(path, { force: true });
  }
  return target;
}
