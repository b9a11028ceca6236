import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths.js';

// Set by the bundler (src/liaison.mjs); absent when the sources run directly (tests, the bench).
declare const __LIAISON_ROOT__: string | undefined;

/** Where a worker thread's entry module is, and the Node options that load it. */
export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

/**
 * The entry of the worker thread `name`, whose TypeScript file is `source`. From the bundle
 * (`npm start`, `liaison …`): the bundle built beside this one from the same sources,
 * `cli-<hash>-<name>.mjs` (a second entry point of src/liaison.mjs). From the sources (vitest,
 * `npm run bench`): `source` bundled the same way, once per process and content, under
 * node_modules/.cache/liaison/ — so tests and the bench run the worker as the bot does (Node 20
 * applies neither a TypeScript loader's hooks nor `--import` to a worker's entry).
 */
export async function workerEntry(name: string, source: URL): Promise<WorkerEntry> {
  const execArgv = ['--enable-source-maps'];
  if (typeof __LIAISON_ROOT__ === 'string') return { url: new URL(import.meta.url.replace(/\.mjs$/, `-${name}.mjs`)), execArgv };
  let built = bundles.get(source.href);
  if (!built) bundles.set(source.href, built = bundleSource(name, source));
  return { url: await built, execArgv };
}

/** Bundles made from the sources in this process, by source URL. */
const bundles = new Map<string, Promise<URL>>();

async function bundleSource(name: string, source: URL): Promise<URL> {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: [fileURLToPath(source)], write: false, bundle: true, packages: 'external', platform: 'node', format: 'esm',
    target: 'node20', sourcemap: 'inline', logLevel: 'error', define: { __LIAISON_ROOT__: JSON.stringify(REPO_ROOT) },
  });
  const text = outputFiles[0]!.text;
  // Inside the repository, so that its packages resolve from node_modules; named by content, written whole then renamed.
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'liaison');
  const file = join(dir, `src-${name}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
  return pathToFileURL(file);
}
