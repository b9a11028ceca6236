import type { HttpBodyResponse, HttpRoute } from '../types.js';

/** The meta tag name Zalo's console looks for (some pages use `name`, Zalo's own file `property`). */
const META = 'zalo-platform-site-verification';

/** The path of the verification file Zalo names, at the site root: `/zalo_verifier<code>.html`. */
export const verificationFilePath = (code: string): string => `/zalo_verifier${code}.html`;

/**
 * The routes that let Zalo's console verify the site's domain (needed before it accepts the webhook
 * URL): the HTML file it offers for download, served at `/zalo_verifier<code>.html` with the same
 * content, and — when nothing else serves the site root — `GET /` carrying the meta tag.
 * `code` is restricted to `[A-Za-z0-9_-]` by the configuration, so it needs no escaping.
 */
export function createDomainVerificationRoutes(code: string, options: { siteRoot: boolean }): HttpRoute[] {
  const tags = `<meta property="${META}" content="${code}" />\n<meta name="${META}" content="${code}" />`;
  const html = (body: string): HttpBodyResponse => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    body: `<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8" />\n${tags}\n</head>\n<body>\n${body}\n</body>\n</html>\n`,
  });
  const file = html('There Is No Limit To What You Can Accomplish Using Zalo!');
  const root = html('Zalo Official Account webhook');
  return [
    { method: 'GET', path: verificationFilePath(code), handle: async () => file },
    ...(options.siteRoot ? [{ method: 'GET' as const, path: '/', handle: async () => root }] : []),
  ];
}
