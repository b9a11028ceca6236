#!/usr/bin/env node
// The `liaison` command. It bundles the TypeScript sources with esbuild (a fraction of a second)
// and runs plain JavaScript: a TypeScript loader inside a long-running bot costs ~50 MB of memory.
// The bundle is a build cache under node_modules/.cache, outside the repository's fixed layout.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}node_modules/.cache/liaison/cli.mjs`;

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
