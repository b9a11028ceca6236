import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRoute } from '../types.js';
import { ICON_SVG, iconPng } from './icons.js';
import { PAGE_CSP, WEB_PAGE_PATH } from './page-routes.js';

/** The service worker's URL; its scope is `/web` (every sign-in slot), allowed by `Service-Worker-Allowed`. */
export const SERVICE_WORKER_PATH = `${WEB_PAGE_PATH}/sw.js`;
export const MANIFEST_PATH = `${WEB_PAGE_PATH}/manifest.webmanifest`;

/** The installed app's manifest: opens `/web` standalone, in the page's colours. */
export const MANIFEST = {
  name: 'Mạng lưới phát ngôn', short_name: 'Phát ngôn', lang: 'vi', dir: 'ltr',
  description: 'Câu hỏi của báo chí, trả lời của người phát ngôn, nhắc hạn — trên điện thoại và máy tính.',
  start_url: WEB_PAGE_PATH, scope: WEB_PAGE_PATH, display: 'standalone', background_color: '#ffffff', theme_color: '#0f3d6e',
  icons: [
    { src: `${WEB_PAGE_PATH}/icon-192.png`, sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: `${WEB_PAGE_PATH}/icon-512.png`, sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: `${WEB_PAGE_PATH}/icon-512.png`, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: `${WEB_PAGE_PATH}/icon.svg`, sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
};

const HEADERS = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': PAGE_CSP };

/** The manifest, the service worker (`page/sw.js`) and the icons (drawn here, no binary files in the repository). */
export function createPwaRoutes(pageDir: string): HttpRoute[] {
  const files: Array<[string, string, string | Buffer, Record<string, string>?]> = [
    [MANIFEST_PATH, 'application/manifest+json; charset=utf-8', JSON.stringify(MANIFEST)],
    [SERVICE_WORKER_PATH, 'text/javascript; charset=utf-8', readFileSync(join(pageDir, 'sw.js')), { 'service-worker-allowed': WEB_PAGE_PATH }],
    [`${WEB_PAGE_PATH}/icon.svg`, 'image/svg+xml', ICON_SVG],
    [`${WEB_PAGE_PATH}/icon-192.png`, 'image/png', iconPng(192)],
    [`${WEB_PAGE_PATH}/icon-512.png`, 'image/png', iconPng(512)],
  ];
  return files.map(([path, type, body, extra]) => ({
    method: 'GET' as const, path, handle: async () => ({ status: 200, headers: { ...HEADERS, 'content-type': type, ...extra }, body }),
  }));
}
