// Installs the npm dependencies when node_modules is missing or stale against package-lock.json,
// so that `npm start` and `npm test` work on a fresh machine. Plain Node.js only: it runs before
// anything in node_modules can be loaded.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line on standard error (standard output stays the command's own, e.g. a CSV export). */
export function say(line) {
  process.stderr.write(`${line}\n`);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why `root`'s node_modules does not match its package-lock.json, as `{ vi, en }`, or `undefined`
 * when it does. Compares every locked package (optional ones only when installed; dev ones only
 * with `dev`) against npm's own record of the install (node_modules/.package-lock.json) and the
 * package's folder, so a removed or changed package is noticed without reading every package.
 */
export function staleDependencies(root, { dev }) {
  const lock = readJson(join(root, 'package-lock.json'));
  if (!lock?.packages) return { vi: 'không đọc được package-lock.json', en: 'package-lock.json cannot be read' };
  if (!existsSync(join(root, 'node_modules'))) return { vi: 'chưa có node_modules', en: 'node_modules is missing' };
  const installed = readJson(join(root, 'node_modules', '.package-lock.json'))?.packages;
  if (!installed) return { vi: 'node_modules chưa được npm cài đầy đủ', en: 'node_modules was not installed by npm' };
  for (const [path, locked] of Object.entries(lock.packages)) {
    // A linked package (`file:` folder) carries its flags on its target entry.
    const flags = locked.link ? lock.packages[locked.resolved] ?? {} : locked;
    if (!path.startsWith('node_modules/') || flags.optional || flags.devOptional || (flags.dev && !dev)) continue;
    const have = installed[path];
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!have || !existsSync(join(root, path, 'package.json'))) {
      const label = locked.version ? `${name} ${locked.version}` : name;
      return { vi: `thiếu ${label}`, en: `${label} is missing` };
    }
    if (locked.version !== undefined && have.version !== locked.version) {
      return { vi: `${name} ${have.version} khác bản khóa ${locked.version}`, en: `${name} ${have.version} is installed, ${locked.version} is locked` };
    }
  }
  return undefined;
}

/**
 * Runs `npm ci` in `root` when {@link staleDependencies} finds a reason, saying so first. Returns
 * true when node_modules is (now) up to date; false, having said why, when the install failed.
 * @param options.dev also require the development dependencies (tests, typecheck, lint).
 */
export function ensureDependencies(root, { dev = false } = {}) {
  const reason = staleDependencies(root, { dev });
  if (!reason) return true;
  say(`[setup] Cài thư viện (npm ci) vì ${reason.vi} / Installing dependencies (npm ci): ${reason.en}`);
  // npm's own output goes to standard error too, so piped output of the command stays clean.
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
  const after = npm.status === 0 ? staleDependencies(root, { dev }) : reason;
  if (!after) return true;
  const why = npm.error ? String(npm.error.message) : npm.status === 0 ? after.en : `npm ci exited with ${npm.status ?? npm.signal}`;
  say(`[setup] Không cài được thư viện; hãy chạy "npm ci" để xem lỗi / Could not install the dependencies (${why}); run "npm ci" to see why`);
  return false;
}
