import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageRoutes, defaultPageDir } from '../../adapters/web/page-routes.js';
import { createWebAdapter } from '../../adapters/web/index.js';
import { PAGE_MODULES, PAGE_STYLES } from '../../adapters/web/page-routes.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';

const pageDir = fileURLToPath(new URL('../../adapters/web/page/', import.meta.url));

describe('web chat page', () => {
  let server: HttpServer;
  let base: string;
  let db: TestDb;
  beforeAll(async () => {
    const { logger } = createCapturedLogger();
    db = await createTestDb('sqlite');
    // The page as the adapter serves it: its routes come with the API's.
    const adapter = createWebAdapter({ logger, store: createWebStore(db.db), redeemCode: async () => ({ status: 'unknown' }) });
    server = createHttpServer({ host: '127.0.0.1', port: 0, logger, webhooks: [], routes: adapter.routes, health: async () => ({ ok: true, details: {} }) });
    base = `http://127.0.0.1:${(await server.start()).port}`;
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it('the browser scripts are valid JavaScript modules, each served', async () => {
    for (const file of PAGE_MODULES) {
      const check = spawnSync(process.execPath, ['--check', join(pageDir, file)], { encoding: 'utf8' });
      expect(check.stderr, file).toBe('');
      expect(check.status, file).toBe(0);
      const res = await fetch(`${base}/web/${file}`);
      expect(res.headers.get('content-type'), file).toBe('text/javascript; charset=utf-8');
    }
  });

  it('serves the page for every sign-in slot, /web/u/1/ … /web/u/9/', async () => {
    const page = await (await fetch(`${base}/web`)).text();
    for (const path of ['/web/u/1/', '/web/u/9/', '/web/u/2']) expect(await (await fetch(`${base}${path}`)).text(), path).toBe(page);
    expect((await fetch(`${base}/web/u/10/`)).status).toBe(404);
  });

  it('GET /web is the Vietnamese page with a labelled sign-in form, its script and stylesheet, and a strict CSP', async () => {
    const res = await fetch(`${base}/web`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await res.text();
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toMatch(/<form id="sign-in"/);
    expect(html).toMatch(/<label for="invite-code"[^>]*>Mã mời hoặc mã đăng nhập<\/label>/);
    expect(html).toMatch(/<input id="invite-code"/);
    expect(html).toMatch(/<button type="submit"[^>]*>Đăng nhập<\/button>/);
    expect(html).toContain('<script type="module" src="/web/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/web/app.css">');
    // No inline script or style (the CSP would block them), and landmarks plus a live message list.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    for (const landmark of ['<header', '<main', '<form']) expect(html).toContain(landmark);
    expect(html).toMatch(/<ol id="messages"[^>]*aria-live="polite"/);
    expect(html).toMatch(/<label for="composer-text"/);
  });

  it('serves the script and the stylesheet with their content types, uncached', async () => {
    const js = await fetch(`${base}/web/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('no-cache');
    expect(await js.text()).toBe(readFileSync(join(pageDir, 'app.js'), 'utf8'));
    const css = await fetch(`${base}/web/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    expect(await css.text()).toBe(readFileSync(join(pageDir, 'app.css'), 'utf8'));
  });

  it('fetches nothing from another host: no absolute http(s) or protocol-relative URLs in the page files', async () => {
    for (const path of ['/web', '/web/app.css', ...PAGE_MODULES.map((f) => `/web/${f}`)]) {
      // The SVG namespace of an inline icon is a name, never fetched: the only absolute URL allowed.
      const text = (await (await fetch(`${base}${path}`)).text()).replaceAll(/xmlns=(['"])http:\/\/www\.w3\.org\/2000\/svg\1/g, '');
      expect(text, path).not.toMatch(/https?:\/\//i);
      expect(text, path).not.toMatch(/["'(]\s*\/\/[^/\s]/);
      expect(text, path).not.toMatch(/@import/);
    }
  });

  it('the script talks only to the web API and has every visible string in both languages', () => {
    const js = PAGE_MODULES.map((f) => readFileSync(join(pageDir, f), 'utf8')).join('\n');
    expect(js).toContain("SLOT === 0 ? '/web/api' : `/web/u/${SLOT}/api`");
    expect(js).toContain('new EventSource(');
    expect(js).toContain("'x-csrf-token'");
    expect(js).toContain('history.replaceState');
    const keys = (lang: 'vi' | 'en'): string[] => {
      const block = new RegExp(`\\n  ${lang}: \\{([\\s\\S]*?)\\n  \\},`).exec(js)?.[1] ?? '';
      return [...block.matchAll(/(?:^\s+|, )(\w+): '/gm)].map((m) => m[1]!).sort();
    };
    expect(keys('vi').length).toBeGreaterThan(20);
    expect(keys('en')).toEqual(keys('vi'));
    const html = readFileSync(join(pageDir, 'index.html'), 'utf8');
    for (const [, key] of html.matchAll(/data-i18n="(\w+)"/g)) expect(keys('vi')).toContain(key);
  });

  it('GET / redirects to the page, keeping an invite code', async () => {
    const plain = await fetch(`${base}/`, { redirect: 'manual' });
    expect(plain.status).toBe(302);
    expect(plain.headers.get('location')).toBe('/web');
    const withCode = await fetch(`${base}/?code=ABC-123`, { redirect: 'manual' });
    expect(withCode.headers.get('location')).toBe('/web?code=ABC-123');
  });

  it('reads the files once, from the folder given (as a bundle passes it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-page-'));
    for (const file of ['index.html', ...PAGE_STYLES, ...PAGE_MODULES]) writeFileSync(join(dir, file), `/* ${file} */`);
    const routes = createPageRoutes(dir);
    writeFileSync(join(dir, 'app.js'), 'changed');
    const js = routes.find((r) => r.path === '/web/app.js')!;
    const res = await js.handle({ headers: {}, rawBody: Buffer.alloc(0), query: {}, ip: '127.0.0.1' });
    expect('body' in res ? String(res.body) : '').toBe('/* app.js */');
    expect(defaultPageDir()).toBe(pageDir);
    expect(() => createPageRoutes(join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});
