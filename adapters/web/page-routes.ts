import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpBodyResponse, HttpRoute } from '../types.js';
import { WEB_SLOTS } from './http.js';

/** Where the chat page is served (sign-in slot 0). */
export const WEB_PAGE_PATH = '/web';

/** The page of sign-in slot `slot`: `/web` for 0, `/web/u/<n>/` otherwise (one person per tab). */
export function slotPagePath(slot: number): string {
  return slot === 0 ? WEB_PAGE_PATH : `${WEB_PAGE_PATH}/u/${slot}/`;
}

/** The page's script modules (plain ES modules, no bundler: the CSP allows only this origin's files). */
export const PAGE_MODULES = ['app.js', 'i18n.js', 'dom.js', 'api.js', 'timeline.js', 'live.js', 'attachments.js', 'upload.js',
  'notify.js', 'notify-panel.js', 'sound.js', 'inbox.js', 'inbox-i18n.js', 'thread.js', 'older.js', 'action-result.js', 'preview.js', 'draft-edit.js', 'followed.js'] as const;

/** The page's style sheets (`attachments.css` is loaded by `upload.js`, `inbox.css` by `inbox.js`). */
export const PAGE_STYLES = ['app.css', 'attachments.css', 'notify.css', 'inbox.css'] as const;

/**
 * The page's Content-Security-Policy: everything from this origin only, no inline script or style,
 * no frames, no plugins, forms and the base URL pinned to this origin; images also from `blob:`
 * (the preview of a photo being attached, made from the person's own file).
 */
export const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const slotPages = Array.from({ length: WEB_SLOTS - 1 }, (_, i) => slotPagePath(i + 1)).flatMap((p) => [p, p.slice(0, -1)]);
const FILES = [
  ...[WEB_PAGE_PATH, ...slotPages].map((path) => ({ path, file: 'index.html', type: 'text/html; charset=utf-8' })),
  ...PAGE_MODULES.map((file) => ({ path: `${WEB_PAGE_PATH}/${file}`, file, type: 'text/javascript; charset=utf-8' })),
  ...PAGE_STYLES.map((file) => ({ path: `${WEB_PAGE_PATH}/${file}`, file, type: 'text/css; charset=utf-8' })),
];

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
 * The chat page's routes: `GET /web` and each slot's `/web/u/<n>/` (the HTML), the script modules,
 * `/web/app.css`, and `GET /`
 * redirecting to `/web` (keeping the query, so `/?code=…` signs in). The files are read once, here.
 */
export function createPageRoutes(pageDir: string = defaultPageDir()): HttpRoute[] {
  const read = new Map<string, Buffer>();
  const routes: HttpRoute[] = FILES.map(({ path, file, type }) => {
    const body = read.get(file) ?? readFileSync(join(pageDir, file));
    read.set(file, body);
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
