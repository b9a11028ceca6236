import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Set by the bundler (src/liaison.mjs); absent when the sources run directly (tests, the bench).
declare const __LIAISON_ROOT__: string | undefined;

/** Where a worker thread's entry module is, and the Node options that load it. */
export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

/**
 * The entry of the worker thread `name`. From the bundle (`npm start`, `liaison …`): the bundle
 * built beside this one from the same sources, `cli-<hash>-<name>.mjs` (a second entry point of
 * src/liaison.mjs). From the sources (vitest, `npm run bench`): `source`, the TypeScript file,
 * loaded through tsx (a development dependency, as those runners are).
 */
export function workerEntry(name: string, source: URL): WorkerEntry {
  if (typeof __LIAISON_ROOT__ === 'string') {
    return { url: new URL(import.meta.url.replace(/\.mjs$/, `-${name}.mjs`)), execArgv: ['--enable-source-maps'] };
  }
  // Node 20 applies neither the parent's loader hooks nor `--import` hooks to a worker's entry:
  // a small module loads the TypeScript entry through tsx's API instead.
  // The ESM build of `tsx/esm/api` (its export map's `import` condition; require.resolve gives the CommonJS one).
  const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `const { tsImport } = await import(${JSON.stringify(api)}); await tsImport(${JSON.stringify(source.href)}, ${JSON.stringify(source.href)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(boot)}`), execArgv: [] };
}
