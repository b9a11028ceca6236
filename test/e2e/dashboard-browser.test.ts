import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { loadConfig } from '../../src/config.js';
import { startApp, type App } from '../../src/main.js';
import { REPO_ROOT } from '../../src/paths.js';
import { systemClock } from '../../src/time/clock.js';
import { issueWebLoginCodeForPerson } from '../../flows/web-login.js';
import { launchChromium } from '../helpers/browser.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

// A loaded CI machine can take tens of seconds for a page: these bound a hang, not the speed.
const WAIT = { timeout: 90_000 };
const OUT = join(REPO_ROOT, 'test-output');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Inquiries for the sample network: two at the health department (one overdue), one at the police, one at the old province (outside the coordinators' HUE). */
async function seed(db: Db): Promise<Record<string, number>> {
  const now = new Date();
  const iso = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
  const org = async (code: string) => (await db.selectFrom('orgs').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const reporter = (await db.selectFrom('persons').select('id').where('code', '=', 'PV-HUE-01').executeTakeFirstOrThrow()).id;
  const identity = (await db.insertInto('identities').values({ platform: 'telegram', platform_user_id: '55', chat_id: '55', person_id: reporter, display_name: null, locale: null, dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: iso(-1), created_at: iso(-1), updated_at: iso(-1) }).returning('id').executeTakeFirstOrThrow()).id;
  const ids: Record<string, number> = {};
  const add = async (label: string, orgCode: string, status: 'answered' | 'assigned', received: number, due: number, closed: number | null) => {
    const orgId = await org(orgCode);
    const r = await db.insertInto('inquiries').values({
      code: null, reporter_person_id: reporter, reporter_identity_id: identity, origin_chat_id: '55', origin_message_id: label, topic_id: null, org_id: orgId, suggested_org_id: orgId,
      status, question: `Câu hỏi ${label} về ${orgCode}?`, received_at: iso(received), deadline_class: 'routine', rule_id: null, legal_basis: null, due_at: iso(due), original_due_at: iso(due),
      urgent_requested: 0, merged_into_id: null, decline_ground: null, decline_reason: null, reject_reason: null, handler_person_id: null, acknowledged_at: null,
      first_response_at: closed === null ? null : iso(closed), answered_at: closed === null ? null : iso(closed), closed_at: closed === null ? null : iso(closed),
      resume_status: null, rating: null, rated_at: null, created_at: iso(received), updated_at: iso(received),
    }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('inquiries').set({ code: `Q-${r.id}` }).where('id', '=', r.id).execute();
    await db.insertInto('inquiry_entries').values({ inquiry_id: r.id, kind: 'question', author_person_id: reporter, text: `Câu hỏi ${label} về ${orgCode}?`, created_at: iso(received) }).execute();
    ids[label] = r.id;
  };
  await add('syt-answered', 'SYT', 'answered', -30, 18, -29);
  await add('syt-overdue', 'SYT', 'assigned', -72, -24, null);
  await add('ca-open', 'CA-HUE', 'assigned', -2, 40, null);
  await add('tth-open', 'TTH', 'assigned', -3, 40, null);
  // A notice to three commune contacts of Thành phố Huế, delivered to all, acknowledged by one.
  const contacts = await db.selectFrom('role_assignments').select(['person_id', 'org_id']).where('role', '=', 'contact').orderBy('person_id').limit(3).execute();
  const notice = await db.insertInto('notices').values({ title: 'Lịch tiêm chủng tháng 12', body: 'Nội dung', link: null, audience: '{"all":true}', created_by_person_id: null, status: 'sent', confirmed_at: iso(-5), finished_at: iso(-5), progress_identity_id: null, progress_message_id: null, progress_outbox_id: null, parent_id: null, remind_at: null, reminded_at: null, created_at: iso(-5), updated_at: iso(-5) }).returning('id').executeTakeFirstOrThrow();
  for (const [i, c] of contacts.entries()) {
    await db.insertInto('notice_recipients').values({ notice_id: notice.id, person_id: c.person_id, org_id: c.org_id, identity_id: null, platform: 'telegram', chat_id: String(900 + i), status: 'sent', send_started_at: null, sent_message_id: null, sent_message_ids: null, last_error: null, sent_at: iso(-5), acked_at: i === 0 ? iso(-4) : null, reminded_at: null, created_at: iso(-5), updated_at: iso(-4) }).execute();
  }
  ids.notice = notice.id;
  return ids;
}

/** Signs in to the dashboard in sign-in slot `slot` with `code`, and waits for the figures. */
async function signIn(page: Page, base: string, slot: number, code: string): Promise<void> {
  await page.goto(`${base}/dashboard/u/${slot}/?code=${code}`);
  await page.locator('#sign-in button[type="submit"]').click();
  const shown = await Promise.race([
    page.locator('#s-onestop table').waitFor(WAIT).then(() => 'figures', () => 'no figures within the wait'),
    // The loser of the race ends with the wait (or the page): caught, so it never rejects unhandled.
    page.locator('#error').waitFor({ state: 'visible', ...WAIT }).then(async () => `error: ${await page.locator('#error').textContent()}`, () => 'no figures within the wait'),
  ]);
  // A refusal or a failed request is named, not left to a timeout.
  expect(shown).toBe('figures');
}

/** GETs a dashboard API path from inside the page (with its slot's cookie): status and body. */
async function apiFrom(page: Page, slot: number, path: string): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async ([s, p]) => {
    const res = await fetch(`/web/u/${s}/api/dashboard/${p}`, { credentials: 'same-origin' });
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
  }, [slot, path] as const);
}

/** Downloads an export through the page's session: its bytes. */
async function download(page: Page, slot: number, path: string): Promise<Buffer> {
  const b64 = await page.evaluate(async ([s, p]) => {
    const res = await fetch(`/web/u/${s}/api/dashboard/${p}`, { credentials: 'same-origin' });
    const bytes = new Uint8Array(await res.arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  }, [slot, path] as const);
  return Buffer.from(b64, 'base64');
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's CSP (scripts from this origin only) stays on.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
    const r = await axe.run();
    return r.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`);
  });
}

/** The number in the one-stop table's row whose label starts with `label`. */
async function oneStop(page: Page, label: string): Promise<string> {
  return (await page.locator('#s-onestop tr', { hasText: label }).first().locator('td').nth(1).textContent()) ?? '';
}

describe('the leaders\' dashboard in Chromium (full bot, SQLite, Redis)', { timeout: 300_000 }, () => {
  let e: E2E;
  let second: App | undefined;
  let browser: Browser;
  let ids: Record<string, number>;
  let admin: Page;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    e = await createE2E();
    ids = await seed(e.app.db.db);
    // A second process on the same database and Redis, serving the web page and the dashboard only.
    const config = loadConfig({ DATABASE_URL: e.config.databaseUrl, REDIS_URL: e.config.redisUrl!, QUEUE_PREFIX: e.prefix, HTTP_PORT: '0', DATA_DIR: e.dir, LOG_LEVEL: 'silent', LOAD_SAMPLE_IF_EMPTY: 'false' });
    second = await startApp({ config, logger: e.logger, clock: systemClock, role: 'web' });
    browser = await launchChromium();
    // Invites work once: the admin signs in once, and the tests share the tab.
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, `http://127.0.0.1:${e.app.httpPort}`, 4, 'admin-01');
  });
  afterAll(async () => {
    await browser?.close();
    await second?.stop();
    await e?.close();
  });
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;

  it('an admin sees everything, at 1280 and 360 px, with no accessibility violations and no sideways scroll', async () => {
    const page = admin;
    expect(await oneStop(page, 'Đã tiếp nhận')).toBe('4');
    expect(await oneStop(page, 'Đang xử lý')).toBe('3');
    await page.locator('#s-league tbody tr', { hasText: 'Sở Y tế' }).waitFor(WAIT);
    // The agency's first-response median and p90 in office hours (its one answered inquiry: both the same).
    const sytRow = (await page.locator('#s-league tbody tr', { hasText: 'Sở Y tế' }).textContent()) ?? '';
    expect(sytRow.match(/[\d,]+ giờ/g)).toHaveLength(2);
    expect(await page.locator('#s-league th', { hasText: 'trung vị' }).count()).toBe(1);
    expect(await page.locator('#s-overdue tbody tr').count()).toBe(1);
    await page.locator('#s-trends canvas').waitFor(WAIT);
    expect(await page.locator('#s-conferences tbody tr', { hasText: 'Thành phố Huế' }).textContent()).toContain('Quá hạn');
    // Notices: the rate, then per province and commune and who has not acknowledged, one click away.
    expect(await page.locator('#s-notices tbody tr', { hasText: 'Lịch tiêm chủng tháng 12' }).textContent()).toContain('33,3 %');
    await page.locator('#s-notices a.code').first().click();
    await page.locator('#s-notice table').first().waitFor(WAIT);
    expect(await page.locator('#s-notice tbody tr', { hasText: 'Thành phố Huế' }).first().textContent()).toMatch(/Thành phố Huế\s*31\s*33,3 %/);
    expect(await page.locator('#s-notice table').nth(2).locator('tbody tr').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(OUT, 'dashboard-1280.png'), fullPage: true });
    // The overdue inquiry's thread is one click away.
    await page.locator('#s-overdue a.code').first().click();
    await page.locator('#s-thread', { hasText: 'Câu hỏi syt-overdue về SYT?' }).waitFor(WAIT);
    // A league row opens that agency's inquiries.
    await page.locator('#s-league a.code', { hasText: 'SYT' }).click();
    await page.locator('#s-inquiries tbody tr').first().waitFor(WAIT);
    expect(await page.locator('#s-inquiries tbody tr').count()).toBe(2);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.reload();
    await page.locator('#s-onestop table').waitFor(WAIT);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(OUT, 'dashboard-360.png'), fullPage: true });
    await page.locator('#s-onestop').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'dashboard-360-onestop.png') });
  });

  it('a coordinator sees their scope: what lies outside it is refused by the server, not just hidden', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, base(), 5, 'dpv-vhtt-01');
    expect(await oneStop(page, 'Đã tiếp nhận')).toBe('3'); // TTH is outside Thành phố Huế
    expect(await page.locator('#org option', { hasText: 'Tỉnh Thừa Thiên Huế' }).count()).toBe(0);
    expect((await apiFrom(page, 5, 'summary?org=TTH')).status).toBe(403);
    expect((await apiFrom(page, 5, 'summary?org=NOPE')).status).toBe(403);
    expect((await apiFrom(page, 5, `inquiry?code=Q-${ids['tth-open']}`)).status).toBe(403);
    expect((await apiFrom(page, 5, 'annual?format=html&org=TTH')).status).toBe(403);
    expect((await apiFrom(page, 5, `inquiry?code=Q-${ids['ca-open']}`)).status).toBe(200);
    const league = (await apiFrom(page, 5, 'league')).body as { rows: Array<{ code: string }> };
    expect(league.rows.map((r) => r.code).sort()).toEqual(['CA-HUE', 'SYT']);
    expect((await apiFrom(page, 5, 'summary?period=range&from=2026-13-01&to=2026-12-31')).status).toBe(400);
  });

  it('the head of an agency sees it alone; a reporter and a signed-out browser see nothing', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, base(), 6, 'ld-syte-01');
    expect(await oneStop(page, 'Đã tiếp nhận')).toBe('2');
    expect((await apiFrom(page, 6, 'summary?org=HUE')).status).toBe(403);
    expect((await apiFrom(page, 6, `inquiry?code=Q-${ids['ca-open']}`)).status).toBe(403);
    expect((await apiFrom(page, 6, `notice?id=${ids.notice}`)).status).toBe(403); // no recipient in the health department
    const reporter = await (await browser.newContext()).newPage();
    await reporter.goto(`${base()}/dashboard/u/7/?code=pv-hue-01`);
    await reporter.locator('#sign-in button[type="submit"]').click();
    await reporter.locator('#error').waitFor({ state: 'visible', ...WAIT });
    expect(await reporter.locator('#error').textContent()).toContain('không có quyền');
    expect((await apiFrom(reporter, 7, 'league')).status).toBe(403);
    expect((await apiFrom(reporter, 1, 'league')).status).toBe(401); // slot 1's cookie was never set in this browser
    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`${base()}/dashboard`);
    await anonymous.locator('#sign-in').waitFor({ state: 'visible', ...WAIT });
  });

  it('exports every table as CSV and XLSX with Vietnamese headers and dates, and the annual report as XLSX and A4', async () => {
    const page = admin;
    const csv = (await download(page, 4, 'export?table=overdue&format=csv')).toString('utf8');
    expect(csv.startsWith('\uFEFFMã / Code,Cơ quan / Agency')).toBe(true);
    expect(csv).toMatch(new RegExp(`Q-${ids['syt-overdue']},Sở Y tế,.*,assigned,\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2},`));
    for (const table of ['onestop', 'figures', 'league', 'overdue', 'trends', 'topics', 'notices', 'conferences', 'records']) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await download(page, 4, `export?table=${table}&format=xlsx`) as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(String(ws.getRow(2).getCell(1).value), table).toMatch(/ \/ /);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await download(page, 4, 'export?table=league&format=xlsx') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).getCell(2).value).toBe('Cơ quan / Agency');
    const syt = ws.getSheetValues().find((r) => Array.isArray(r) && r[1] === 'SYT') as unknown[];
    expect(syt[3]).toBe(2); // received
    const overdue = new ExcelJS.Workbook();
    await overdue.xlsx.load(await download(page, 4, 'export?table=overdue&format=xlsx') as unknown as ArrayBuffer);
    expect(overdue.worksheets[0]!.getRow(3).getCell(5).value).toBeInstanceOf(Date);
    const annual = new ExcelJS.Workbook();
    await annual.xlsx.load(await download(page, 4, `annual?format=xlsx&year=${new Date().getUTCFullYear()}`) as unknown as ArrayBuffer);
    expect(annual.worksheets.map((w) => w.name)).toEqual(['Báo cáo', 'Chi tiết']);
    const html = await apiFrom(page, 4, 'annual?format=html');
    expect(html.status).toBe(200);
    expect(String(html.body)).toContain('(Ký tên, đóng dấu)');
    expect((await apiFrom(page, 4, 'export?table=nope&format=csv')).status).toBe(400);
  });

  it('is live: a question asked through the other process appears without reloading', async () => {
    const other = `http://127.0.0.1:${second!.httpPort}`;
    const page = await (await browser.newContext()).newPage();
    const code = await e.app.db.db.transaction().execute((tx) => issueWebLoginCodeForPerson(tx, 'ADMIN-01', new Date()));
    await signIn(page, other, 4, code!.code);
    await page.locator('#live', { hasText: 'Cập nhật trực tiếp' }).waitFor(WAIT);
    const before = Number(await oneStop(page, 'Đã tiếp nhận'));
    // A reporter asks on Telegram: the first process (polling Telegram) runs the flow and writes the inquiry.
    const reporter = tgUser('Nam');
    await e.say(reporter, '/start pv-tto-01', 'Xin chào');
    await e.say(reporter, 'Khi nào khai trương bệnh viện mới?', 'lĩnh vực nào');
    await e.press(reporter, 'Y tế', 'Xác nhận gửi');
    await e.press(reporter, 'Gửi', 'Đã tiếp nhận');
    await page.locator('#s-onestop tr', { hasText: 'Đã tiếp nhận' }).first().locator('td').nth(1).filter({ hasText: String(before + 1) }).waitFor(WAIT);
    expect(Number(await oneStop(page, 'Đã tiếp nhận'))).toBe(before + 1);
  });
});
