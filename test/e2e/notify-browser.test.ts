import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSubscriptions } from '../../db/repositories/web-push.js';
import { REPO_ROOT } from '../../src/paths.js';
import { axeSerious, launchChromium } from '../helpers/browser.js';
import { startFakePushService } from '../fakes/web-push/endpoint.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const WAIT = { timeout: 15_000 };
const OUT = join(REPO_ROOT, 'test-output');


async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`) });
  }
}

const permissionAsks = (page: Page) => page.evaluate(() => (globalThis as unknown as { permissionAsks: number }).permissionAsks);

// A loaded machine (several Chromiums at once) is slow, never wrong: generous limits, no timing asserted.
describe('notifications on the web page (Chromium): installable app, unread count, permission asked only after a staff sign-in', { timeout: 120_000 }, () => {
  let e: E2E;
  let browser: Browser;
  let context: BrowserContext;
  let push: Awaited<ReturnType<typeof startFakePushService>>;
  let sub: ReturnType<typeof push.newSubscription>;
  const reporter = tgUser('Thư');

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    push = await startFakePushService();
    e = await createE2E({ webPushAgent: push.agent, env: { WEB_PUSH_POLL_MS: '200' } });
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['notifications'], { origin: `http://127.0.0.1:${e.app.httpPort}` });
    sub = push.newSubscription();
    // Headless Chromium has no push service: the browser's PushManager is replaced by one that hands
    // out a subscription of the local push service; every permission request is counted.
    await context.addInitScript((s) => {
      const g = globalThis as unknown as Record<string, unknown> & { permissionAsks: number };
      g.permissionAsks = 0;
      const N = g.Notification as { requestPermission(): Promise<string> };
      const ask = N.requestPermission.bind(N);
      N.requestPermission = () => { g.permissionAsks += 1; return ask(); };
      let current: unknown = null;
      const fake = { endpoint: s.endpoint, toJSON: () => ({ endpoint: s.endpoint, keys: s.keys }), unsubscribe: async () => { current = null; return true; } };
      const proto = (g.PushManager as { prototype: Record<string, unknown> }).prototype;
      proto.subscribe = async () => { current = fake; return fake; };
      proto.getSubscription = async () => current;
    }, sub);
  });
  afterAll(async () => {
    await browser?.close();
    await e?.close();
    await push?.stop();
  });

  it('serves the manifest and icons with their types, registers the service worker, and asks nothing on page load', async () => {
    const page = await context.newPage();
    const base = `http://127.0.0.1:${e.app.httpPort}`;
    await page.goto(`${base}/web`);
    const manifest = await page.request.get(`${base}/web/manifest.webmanifest`);
    expect(manifest.headers()['content-type']).toBe('application/manifest+json; charset=utf-8');
    const m = await manifest.json() as { start_url: string; display: string; icons: Array<{ src: string; type: string }> };
    expect(m).toMatchObject({ start_url: '/web', display: 'standalone' });
    for (const icon of m.icons) expect((await page.request.get(`${base}${icon.src}`)).headers()['content-type']).toBe(icon.type);
    const png = await page.request.get(`${base}/web/icon-192.png`);
    expect((await png.body()).subarray(1, 4).toString()).toBe('PNG');
    const sw = await page.evaluate(async () => {
      const reg = await (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<{ active: { scriptURL: string } | null; scope: string }> } } }).navigator.serviceWorker.ready;
      return { scope: reg.scope, script: reg.active?.scriptURL ?? '' };
    });
    expect(sw.scope).toMatch(/\/web$/);
    expect(sw.script).toMatch(/\/web\/sw\.js$/);
    expect((await page.request.get(`${base}/web/sw.js`)).headers()['service-worker-allowed']).toBe('/web');
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/web/manifest.webmanifest');
    expect(await permissionAsks(page)).toBe(0);
    expect(await page.locator('.notify-offer').count()).toBe(0);
    await shoot(page, 'notify-signed-out');
    expect(await axeSerious(page)).toEqual([]);
    await page.close();
  });

  it('a reporter signed in gets no offer; a spokesperson gets it, and only their click asks the browser', async () => {
    const base = `http://127.0.0.1:${e.app.httpPort}`;
    const signIn = async (slot: number, code: string, greeting: string) => {
      const page = await context.newPage();
      await page.goto(`${base}/web/u/${slot}/?code=${code}`);
      await page.locator('#sign-in button[type="submit"]').click();
      await page.locator('li.msg-bot', { hasText: greeting }).last().waitFor(WAIT);
      return page;
    };
    const r = await signIn(1, 'pv-tto-01', 'Xin chào Lê Hoàng Nam');
    await r.waitForTimeout(500);
    expect(await r.locator('.notify-offer').count()).toBe(0);
    expect(await r.locator('#notify-toggle').isHidden()).toBe(true);
    expect(await permissionAsks(r)).toBe(0);
    await r.close();

    const staff = await signIn(2, 'pn-syte-01', 'Xin chào Hoàng Minh Tuấn');
    const offer = staff.locator('.notify-offer');
    await offer.waitFor({ state: 'visible', ...WAIT });
    expect(await permissionAsks(staff)).toBe(0);
    await shoot(staff, 'notify-offer');
    await staff.setViewportSize({ width: 1280, height: 800 });
    expect(await axeSerious(staff)).toEqual([]);
    await offer.getByRole('button', { name: 'Bật thông báo' }).click();
    await expect.poll(() => permissionAsks(staff), WAIT).toBe(1);
    const person = await e.app.db.db.selectFrom('persons').select('id').where('code', '=', 'PN-SYTE-01').executeTakeFirstOrThrow();
    await expect.poll(async () => (await listSubscriptions(e.app.db.db, person.id)).map((s) => s.endpoint), WAIT).toEqual([sub.endpoint]);

    // Settings: the panel opens from the header and is usable on a phone.
    await staff.locator('#notify-toggle').click();
    await staff.locator('#notify-panel').waitFor({ state: 'visible' });
    await shoot(staff, 'notify-settings');
    await staff.setViewportSize({ width: 1280, height: 800 });
    expect(await axeSerious(staff)).toEqual([]);
    await staff.locator('#notify-panel').getByRole('button', { name: 'Đóng' }).click();

    // The tab goes to the background; a question comes in from Telegram.
    await staff.evaluate(() => {
      const d = (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document;
      Object.defineProperty(d, 'visibilityState', { value: 'hidden', configurable: true });
      d.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('visibilitychange'));
    });
    await e.say(reporter, 'Số ca tay chân miệng ở trường mầm non tháng này?', 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    await staff.locator('li.msg-bot', { hasText: 'tay chân miệng' }).last().waitFor(WAIT);
    await expect.poll(() => staff.title(), WAIT).toMatch(/^\(1\) /);
    expect(await staff.locator('link[rel="icon"]').getAttribute('data-unread')).toBe('1');
    expect(await staff.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/png;base64,/);
    // …and the browser's push subscription got exactly one push for it.
    await expect.poll(() => push.pushesTo(sub.endpoint).length, WAIT).toBe(1);
    expect(JSON.parse(push.pushesTo(sub.endpoint)[0]!.payload)).toMatchObject({ title: expect.stringMatching(/^Câu hỏi mới Q-\d+$/) });
    await staff.setViewportSize({ width: 360, height: 740 });
    await staff.screenshot({ path: join(OUT, 'notify-unread-360.png') });
    // Back to the tab: the count clears.
    await staff.evaluate(() => {
      const d = (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document;
      Object.defineProperty(d, 'visibilityState', { value: 'visible', configurable: true });
      d.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('visibilitychange'));
    });
    await expect.poll(() => staff.title(), WAIT).not.toMatch(/^\(\d/);
    expect(push.problems).toEqual([]);
  });
});
