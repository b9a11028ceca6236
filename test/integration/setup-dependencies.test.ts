import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs pre-step without types (it must run before node_modules exists).
import { ensureDependencies, staleDependencies } from '../../src/setup/dependencies.mjs';
import { REPO_ROOT } from '../../src/paths.js';

type Reason = { vi: string; en: string } | undefined;
const stale = staleDependencies as (root: string, o: { dev: boolean }) => Reason;
const ensure = ensureDependencies as (root: string, o?: { dev?: boolean }) => boolean;

/** Runs npm in `cwd`; throws with its output when it fails. */
function npm(cwd: string, args: string[]): void {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${r.stderr}`);
}

/**
 * A project whose dependencies are local tarballs (`file:…tgz`), so that a real `npm ci` installs
 * it without a registry: the same lock entries (version, integrity, dev flag) and node_modules
 * bookkeeping as the bot's registry packages.
 */
function makeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'liaison-setup-'));
  for (const [name, version] of [['prod-dep', '1.0.0'], ['dev-dep', '2.0.0']] as const) {
    const src = join(root, 'src-packages', name);
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'package.json'), JSON.stringify({ name, version }));
    mkdirSync(join(root, 'vendor'), { recursive: true });
    npm(src, ['pack', '--pack-destination', join(root, 'vendor')]);
  }
  writeFileSync(join(root, 'package.json'), JSON.stringify({
    name: 'setup-fixture', version: '0.0.0', private: true,
    dependencies: { 'prod-dep': 'file:vendor/prod-dep-1.0.0.tgz' }, devDependencies: { 'dev-dep': 'file:vendor/dev-dep-2.0.0.tgz' },
  }));
  npm(root, ['install', '--package-lock-only']);
  return root;
}

describe('the set-up pre-step of npm start and npm test (a fresh machine)', () => {
  let root: string;
  let said: string[];
  beforeAll(() => {
    root = makeProject();
    said = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      said.push(String(chunk));
      return true;
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('installs node_modules when it is missing, saying so on one line, then finds it up to date', () => {
    expect(stale(root, { dev: true })).toEqual({ vi: 'chưa có node_modules', en: 'node_modules is missing' });
    expect(ensure(root, { dev: true })).toBe(true);
    expect(said.filter((l) => l.startsWith('[setup]'))).toEqual([
      '[setup] Cài thư viện (npm ci) vì chưa có node_modules / Installing dependencies (npm ci): node_modules is missing\n',
    ]);
    expect(existsSync(join(root, 'node_modules', 'prod-dep', 'package.json'))).toBe(true);
    expect(stale(root, { dev: true })).toBeUndefined();
    said.length = 0;
    expect(ensure(root, { dev: true })).toBe(true);
    expect(said).toEqual([]);
  });

  it('finds node_modules stale when a package is gone or another version is locked', () => {
    rmSync(join(root, 'node_modules', 'dev-dep'), { recursive: true, force: true });
    expect(stale(root, { dev: false })).toBeUndefined(); // `npm start` needs no dev dependency
    expect(stale(root, { dev: true })?.en).toBe('dev-dep 2.0.0 is missing');
    said.length = 0;
    expect(ensure(root, { dev: true })).toBe(true);
    expect(said).toEqual(['[setup] Cài thư viện (npm ci) vì thiếu dev-dep 2.0.0 / Installing dependencies (npm ci): dev-dep 2.0.0 is missing\n']);
    expect(existsSync(join(root, 'node_modules', 'dev-dep', 'package.json'))).toBe(true);

    const lockPath = join(root, 'package-lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, { version?: string }> };
    const entry = Object.entries(lock.packages).find(([path, p]) => path.startsWith('node_modules/') && p.version !== undefined);
    if (!entry) throw new Error('the fixture lock file has no versioned package entry');
    entry[1].version = '9.9.9';
    writeFileSync(lockPath, JSON.stringify(lock));
    expect(stale(root, { dev: true })?.en).toMatch(/is installed, 9\.9\.9 is locked/);
  });

  it('the pre-steps import nothing from node_modules, and the README commands and CI run them', () => {
    for (const file of ['src/liaison.mjs', 'src/setup/dependencies.mjs', 'test/setup/prepare.mjs']) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      const statics = [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
      expect(statics.filter((s) => !s.startsWith('node:') && !s.startsWith('.')), file).toEqual([]);
    }
    const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    // glibc's malloc arenas capped at 2, V8's young generation at 4 MB a semi-space (README "Operating it": resident memory,
    // measured); exec, so that npm's signals reach the bot (README "Operating it": stopping).
    expect(scripts.start).toBe('MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} exec node --max-semi-space-size=4 src/liaison.mjs start');
    expect(scripts.test?.startsWith('node test/setup/prepare.mjs && ')).toBe(true);
    expect(readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test \|\| status=\$\?$/m);
  });
});
