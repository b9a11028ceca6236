import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Set by the bundler (src/liaison.mjs); absent when the sources run directly (tests).
declare const __LIAISON_ROOT__: string | undefined;

/** The repository root, whether this code runs from its sources or from the bundle. */
export const REPO_ROOT: string = typeof __LIAISON_ROOT__ === 'string' ? __LIAISON_ROOT__ : fileURLToPath(new URL('..', import.meta.url));

/** An absolute path inside the repository, e.g. `repoPath('db', 'sample', 'topics.csv')`. */
export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
