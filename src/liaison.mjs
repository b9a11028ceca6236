#!/usr/bin/env node
// The `liaison` command. It bundles the TypeScript sources with esbuild (a fraction of a second)
// and runs plain JavaScript: a TypeScript loader inside a long-running bot costs ~50 MB of memory.
// The bundle is a build cache under node_modules/.cache, outside the repository's fixed layout.
// On a fresh machine node_modules may be missing: it is installed first (npm ci), so nothing from
// node_modules is imported before that.
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
const outfile = `${root}node_modules/.cache/liaison/cli.mjs`;

if (!ensureDependencies(root)) process.exit(1);
const { build } = await import('esbuild');

await build({
  entryPoints: [`${root}src/cli.ts`],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'error',
  define: { __LIAISON_ROOT__: JSON.stringify(root) },
});
process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);
