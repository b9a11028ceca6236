#!/usr/bin/env node
// The `liaison` command. It bundles the TypeScript sources with esbuild (a fraction of a second)
// and runs plain JavaScript: a TypeScript loader inside a long-running bot costs ~50 MB of memory.
// The bundle is a build cache under node_modules/.cache, outside the repository's fixed layout.
// On a fresh machine node_modules may be missing: it is installed first (npm ci), so nothing from
// node_modules is imported before that.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDependencies } from './setup/dependencies.mjs';

// Every file the bot writes (database, Redis files, exports, sessions) is private to its user: 600
// for files and 700 for folders, set before anything is opened (issue #10).
process.umask(0o077);

const root = fileURLToPath(new URL('..', import.meta.url));
/** The worker threads' entry modules, by the name src/worker-entry.ts is given. */
const WORKERS = { 'annual-worker': `${root}src/report/annual-worker.ts` };
const cacheDir = `${root}node_modules/.cache/liaison`;

if (!ensureDependencies(root)) process.exit(1);
const { build } = await import('esbuild');

// Only the path is kept: the bundle's text (~3.5 MB with its map) is garbage once written. Worker
// threads' entries are bundled beside the command's (src/worker-entry.ts finds them by name).
const bundle = placeBundle((await build({
  entryPoints: { cli: `${root}src/cli.ts`, ...WORKERS },
  outdir: cacheDir,
  outExtension: { '.js': '.mjs' },
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
 * Writes the bundle under names made of its content's hash (`cli-<hash>.mjs`, each worker's entry
 * `cli-<hash>-<name>.mjs`, their maps), each file to a temporary name first and then renamed:
 * several `liaison` commands started at once (a bot and an operator's report, or tests in
 * parallel) each import complete files, never one another process is still writing (with one
 * shared `cli.mjs`, a command once imported it empty and printed nothing). Bundles of earlier
 * sources are removed after an hour (a process that started from one has imported it, and its
 * workers' entries are read when they start: a report running for an hour is not foreseen).
 * Returns the command's bundle's path.
 */
function placeBundle(files) {
  const scripts = files.filter((f) => f.path.endsWith('.mjs'));
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.contents);
  const stem = `cli-${hash.digest('hex').slice(0, 16)}`;
  const nameOf = (f) => (basename(f.path) === 'cli.mjs' ? `${stem}.mjs` : `${stem}-${basename(f.path)}`);
  const target = `${cacheDir}/${stem}.mjs`;
  if (existsSync(target)) return target;
  mkdirSync(cacheDir, { recursive: true });
  const place = (path, text) => {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, path);
  };
  // The command's bundle last: its presence says the set is complete.
  for (const js of [...scripts.filter((f) => basename(f.path) !== 'cli.mjs'), ...scripts.filter((f) => basename(f.path) === 'cli.mjs')]) {
    const name = nameOf(js);
    const map = files.find((f) => f.path === `${js.path}.map`);
    if (map) place(`${cacheDir}/${name}.map`, map.contents);
    place(`${cacheDir}/${name}`, js.text.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${name}.map\n`));
  }
  const hourAgo = Date.now() - 3_600_000;
  for (const file of readdirSync(cacheDir)) {
    const path = `${cacheDir}/${file}`;
    // `src-*`: worker entries bundled by tests and the bench from the sources (src/worker-entry.ts).
    const earlier = file.startsWith('src-') || (file.startsWith('cli') && !file.startsWith(`${stem}.`) && !file.startsWith(`${stem}-`));
    if (earlier && statSync(path).mtimeMs < hourAgo) rmSync(path, { force: true });
  }
  return target;
}
