import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpBodyResponse, HttpRoute } from '../types.js';

/** Where the chat page is served. */
export const WEB_PAGE_PATH = '/web';

/**
 * The page's Content-Security-Policy: everything from this origin only, no inline script or style,
 * no frames, no plugins, forms and the base URL pinned to this origin.
 */
export const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const FILES = [
  { path: WEB_PAGE_PATH, file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: `${WEB_PAGE_PATH}/app.js`, file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: `${WEB_PAGE_PATH}/app.css`, file: 'app.css', type: 'text/css; charset=utf-8' },
] as const;

const COMMON_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  // The page URL may carry an invite code (`?code=`): never send it to anyone as a referrer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The default folder of the page's files when the sources run directly (tests). From the bundle
 * this module's URL is the bundle's, so the composition root passes the folder explicitly.
 */
export function defaultPageDir(): string {
  return fileURLToPath(new URL('./page/', import.meta.url));
}

/**
 * The chat page's routes: `GET /web` (the HTML), `/web/app.js`, `/web/app.css`, and `GET /`
 * redirecting to `/web` (keeping the query, so `/?code=…` signs in). The files are read once, here.
 */
export function createPageRoutes(pageDir: string = defaultPageDir()): HttpRoute[] {
  const routes: HttpRoute[] = FILES.map(({ path, file, type }) => {
    const body = readFileSync(join(pageDir, file));
    const response: HttpBodyResponse = { status: 200, headers: { ...COMMON_HEADERS, 'content-type': type }, body };
    return { method: 'GET', path, handle: async () => response };
  });
  routes.push({
    method: 'GET', path: '/',
    handle: async (req) => {
      const code = req.query.code;
      const location = code === undefined ? WEB_PAGE_PATH : `${WEB_PAGE_PATH}?code=${encodeURIComponent(code)}`;
      return { status: 302, headers: { location, 'cache-control': 'no-cache', 'referrer-policy': 'no-referrer' } };
    },
  });
  return routes;
}
