import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { issueWebLoginCodeForPerson } from '../../flows/web-login.js';
import { axeSerious, launchChromium, sidewaysScroll } from '../helpers/browser.js';
import ExcelJS from 'exceljs';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';
import { sample, sha256 } from '../helpers/files.js';

// A loaded CI machine can take tens of seconds for a page: these bound a hang, not the speed.
const WAIT = { timeout: 90_000 };
const OUT = join(REPO_ROOT, 'test-output');

/** A signed-in web session of a sample person in sign-in slot `slot`, as a non-browser client holds it. */
interface Session { slot: number; cookie: string; csrf: string }

/** `YYYY-MM-DDTHH:mm` in Vietnam, `hours` from now (what a datetime-local input sends). */
const localInput = (hours: number) => new Date(Date.now() + (7 + hours) * 3_600_000).toISOString().slice(0, 16);
/** The Decree 244 reporting year of today (15 December starts the next one). */
const reportingYear = () => {
  const local = new Date(Date.now() + 7 * 3_600_000).toISOString();
  return Number(local.slice(0, 4)) + (local.slice(5, 10) >= '12-15' ? 1 : 0);
};

describe('the dashboard\'s forms: press conferences, correction requests, statements (full bot, SQLite, Redis)', { timeout: 300_000 }, () => {
  let e: E2E;
  let browser: Browser;
  const base = () => `http://127.0.0.1:${e.app.httpPort}`;
  const code = async (person: string) => (await e.app.db.db.transaction().execute((tx) => issueWebLoginCodeForPerson(tx, person, new Date())))!.code;

  async function signIn(person: string, slot: number): Promise<Session> {
    const res = await fetch(`${base()}/web/u/${slot}/api/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: await code(person) }) });
    expect(res.status).toBe(200);
    const body = await res.json() as { csrfToken: string };
    return { slot, cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  }

  async function post(s: Session, action: string, fields: Record<string, unknown>, headers: Record<string, string> = {}) {
    const res = await fetch(`${base()}/web/u/${s.slot}/api/dashboard/${action}`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf, ...headers }, body: JSON.stringify(fields),
    });
    return { status: res.status, body: await res.json() as { ok?: boolean; code?: string; error?: string; field?: string; message_vi: string; message_en: string } };
  }

  async function get(s: Session, path: string) {
    const res = await fetch(`${base()}/web/u/${s.slot}/api/dashboard/${path}`, { headers: { cookie: s.cookie } });
    return { status: res.status, text: await res.text() };
  }

  /** Uploads a file as the web page does (`POST <api>/files`): its `upload:<id>` reference. */
  async function upload(s: Session, name: string, bytes: Buffer): Promise<string> {
    const res = await fetch(`${base()}/web/u/${s.slot}/api/files`, {
      method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(name) }, body: bytes,
    });
    expect(res.status).toBe(200);
    return (await res.json() as { ref: string }).ref;
  }

  /** Downloads a stored file through the web API (`GET <api>/file`): status and bytes. */
  async function file(s: Session, id: number) {
    const res = await fetch(`${base()}/web/u/${s.slot}/api/file?id=${id}`, { headers: { cookie: s.cookie } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    e = await createE2E();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  });

  it('over HTTP: the chat commands\' role and scope checks (403), validation (400 with the sentence), CSRF and origin, and the records in the annual report', async () => {
    const head = await signIn('LD-SYTE-01', 1); // head of Sở Y tế (SYT)
    const coordinator = await signIn('DPV-VHTT-01', 2); // coordinator of Thành phố Huế (HUE)
    const reporter = await signIn('PV-HUE-01', 3);

    // Wrong role: a coordinator may not record a statement, a head may not schedule a conference, a reporter reads nothing.
    const wrong = await post(coordinator, 'statement', { eventAt: localInput(-2), title: 'Thông tin về vụ cháy' });
    expect(wrong).toMatchObject({ status: 403, body: { error: 'forbidden', message_vi: 'Bạn không có quyền thực hiện thao tác này.', message_en: 'You are not allowed to do this.' } });
    expect((await post(head, 'conference', { startsAt: localInput(48), place: 'Hội trường', host: 'HUE', agencies: 'SYT', title: 'Họp báo' })).status).toBe(403);
    expect((await post(reporter, 'correction', { outlet: 'Báo X', article: 'Bài Y', published: '2026-11-30', grounds: 'Sai' })).status).toBe(403);
    // Scope: the coordinator of Thành phố Huế may not name the province.
    const outside = await post(coordinator, 'conference', { startsAt: localInput(48), place: 'Hội trường', host: 'TTH', agencies: 'SYT', title: 'Họp báo' });
    expect(outside).toMatchObject({ status: 403, body: { message_vi: 'Cơ quan TTH nằm ngoài phạm vi của bạn.', field: 'host' } });

    // Bad input: 400 with the sentence the chat gives, naming the field.
    const future = await post(head, 'statement', { eventAt: localInput(5), title: 'Chưa xảy ra' });
    expect(future.status).toBe(400);
    expect(future.body.field).toBe('eventAt');
    expect(future.body.message_vi).toContain('không phải thời điểm hợp lệ, không sau lúc này');
    const empty = await post(head, 'correction', { outlet: 'Báo X', article: '', published: '2026-11-30', grounds: 'Sai sự thật' });
    expect(empty).toMatchObject({ status: 400, body: { field: 'article', message_vi: 'Vui lòng điền bài viết.', message_en: 'Please fill in the article.' } });
    expect((await post(head, 'correction', { outlet: 'Báo X', article: 'Y', published: '2099-01-01', grounds: 'Z' })).body.field).toBe('published');
    const unknown = await post(coordinator, 'conference', { startsAt: localInput(48), place: 'Hội trường', host: 'HUE', agencies: 'SYT, NOPE', title: 'Họp báo' });
    expect(unknown).toMatchObject({ status: 400, body: { field: 'agencies', message_vi: 'Không có cơ quan mã NOPE.' } });
    expect((await post(head, 'statement', { eventAt: 5 })).status).toBe(400); // not a string

    // CSRF and origin, as the rest of the web API.
    expect((await post(head, 'statement', { eventAt: localInput(-2), title: 'x' }, { 'x-csrf-token': 'forged' })).body.error).toBe('csrf');
    expect((await post(head, 'statement', { eventAt: localInput(-2), title: 'x' }, { origin: 'http://evil.example' })).body.error).toBe('cross_origin');
    expect((await post({ ...head, cookie: 'liaison_session_1=nope' }, 'statement', { eventAt: localInput(-2), title: 'x' })).status).toBe(401);

    // Success: each record is made by the chat's own flow, and counted.
    const statement = await post(head, 'statement', { eventAt: localInput(-3), title: 'Thông tin ban đầu về vụ ngộ độc thực phẩm', link: 'https://syt.example/tb' });
    expect(statement).toMatchObject({ status: 200, body: { ok: true, code: 'TB-1' } });
    expect(statement.body.message_vi).toContain('đúng hạn 24 giờ');
    const correction = await post(head, 'correction', { outlet: 'Báo Điện tử X', article: 'Bài "Bệnh viện từ chối bệnh nhân"', published: localInput(-24).slice(0, 10), grounds: 'Thông tin sai sự thật' });
    expect(correction).toMatchObject({ status: 200, body: { code: 'CC-1' } });
    expect((await post(head, 'correction-outcome', { code: 'CC-1', outcome: 'maybe' })).body.field).toBe('outcome');
    expect((await post(head, 'correction-outcome', { code: 'CC-1', outcome: 'corrected', note: 'Đã gỡ bài' })).body.message_vi).toBe('Đã ghi kết quả đề nghị cải chính CC-1: đã cải chính.');
    const conference = await post(coordinator, 'conference', { startsAt: localInput(1), place: 'Hội trường UBND', host: 'HUE', agencies: 'SYT', title: 'Họp báo định kỳ' });
    expect(conference).toMatchObject({ status: 200, body: { code: 'HB-1' } });
    expect((await post(coordinator, 'conference-held', { code: 'HB-1' })).status).toBe(409); // not started yet
    // Time passes: the conference's start is moved two hours back (the bot runs on the real clock).
    await e.app.db.db.updateTable('press_conferences').set({ starts_at: new Date(Date.now() - 3_600_000).toISOString() }).execute();
    expect((await post(coordinator, 'conference-held', { code: 'HB-1', answered: '' })).body.message_vi).toContain('Đã ghi nhận họp báo HB-1 đã tổ chức');
    const notice = await e.app.db.db.selectFrom('notices').select(['title', 'audience']).executeTakeFirstOrThrow();
    expect(notice.title).toBe('Họp báo HB-1: Họp báo định kỳ'); // announced through the notices engine
    const audit = await e.app.db.db.selectFrom('audit_events').select('action').where('after', 'like', '%"via":"dashboard"%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['statement.record', 'correction.record', 'correction.outcome', 'conference.schedule', 'conference.held']);

    const year = reportingYear();
    const html = await get(head, `annual?format=html&year=${year}&org=SYT`);
    expect(html.text).toMatch(/Số văn bản đề nghị cải chính<br>.*?<td class="value">1<\/td>/);
    expect(html.text).toMatch(/Số lần phát ngôn đúng hạn.*?<td class="value">1 \/ 1<\/td>/);
    const province = await get(coordinator, `annual?format=html&year=${year}&org=HUE`);
    expect(province.text).toMatch(/Số cuộc họp báo đã tổ chức<br>.*?<td class="value">1<\/td>/);
    const records = JSON.parse((await get(coordinator, 'records')).text) as { rows: Array<{ code: string }> };
    expect(records.rows.map((r) => r.code).sort()).toEqual(['CC-1', 'HB-1', 'TB-1']);
    expect(JSON.parse((await get(head, 'records')).text).rows.map((r: { code: string }) => r.code).sort()).toEqual(['CC-1', 'TB-1']);
  });

  it('in Chromium: each role sees its forms, a refusal and a success are told on the page, at 1280 and 360 px with no serious axe violations', async () => {
    const page: Page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${base()}/dashboard/u/4/?code=${await code('LD-SYTE-01')}`);
    await page.locator('#sign-in button[type="submit"]').click();
    await page.locator('#s-records table').waitFor(WAIT);
    expect(await page.locator('#f-statement').isVisible()).toBe(true);
    expect(await page.locator('#f-conference').isVisible()).toBe(false); // a head does not schedule conferences
    const form = page.locator('#f-statement');
    await form.locator('[name=eventAt]').fill(localInput(3));
    await form.locator('[name=title]').fill('Mất điện diện rộng');
    await form.locator('button[type=submit]').click();
    await form.locator('.result.bad').waitFor(WAIT);
    expect(await form.locator('.result').textContent()).toContain('không phải thời điểm hợp lệ');
    expect(await form.locator('[name=eventAt]').getAttribute('aria-invalid')).toBe('true');
    await form.locator('[name=eventAt]').fill(localInput(-5));
    await form.locator('button[type=submit]').click();
    await form.locator('.result.ok').waitFor(WAIT);
    expect(await form.locator('.result').textContent()).toContain('Đã ghi nhận phát ngôn chủ động TB-');
    await page.locator('#s-records tbody tr', { hasText: 'Mất điện diện rộng' }).waitFor(WAIT);
    const correction = page.locator('#f-correction');
    await correction.locator('[name=outlet]').fill('Báo Điện tử Y');
    await correction.locator('[name=article]').fill('Bài "Thiếu thuốc"');
    await correction.locator('[name=published]').fill(localInput(-48).slice(0, 10));
    await correction.locator('[name=grounds]').fill('Bệnh viện không thiếu thuốc');
    await correction.locator('[name=letter]').setInputFiles({ name: 'CV-12-SYT.pdf', mimeType: 'application/pdf', buffer: sample.pdf(4_000, 9) });
    await correction.locator('button[type=submit]').click();
    await correction.locator('.result.ok').waitFor(WAIT);
    expect(await correction.locator('.result').textContent()).toContain('Văn bản kèm theo: CV-12-SYT.pdf.');
    await page.locator('#s-records tbody tr', { hasText: 'Báo Điện tử Y' }).filter({ hasText: 'CV-12-SYT.pdf' }).waitFor(WAIT);
    expect(await axeSerious(page)).toEqual([]);
    await page.locator('#record').screenshot({ path: join(OUT, 'dashboard-forms-1280.png') });
    await page.setViewportSize({ width: 360, height: 800 });
    // Laid out afresh at this width (a resize mid-render can leave a wide table measured once).
    await page.reload();
    await page.locator('#s-records tbody tr', { hasText: 'CV-12-SYT.pdf' }).waitFor(WAIT);
    expect(await sidewaysScroll(page)).toBe(0);
    expect(await axeSerious(page)).toEqual([]);
    await page.locator('#record').screenshot({ path: join(OUT, 'dashboard-forms-360.png') });

    const coordinator = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
    await coordinator.goto(`${base()}/dashboard/u/5/?code=${await code('DPV-VHTT-01')}`);
    await coordinator.locator('#sign-in button[type="submit"]').click();
    await coordinator.locator('#s-records table').waitFor(WAIT);
    expect(await coordinator.locator('#f-conference').isVisible()).toBe(true);
    expect(await coordinator.locator('#f-statement').isVisible()).toBe(false);
    const c = coordinator.locator('#f-conference');
    await c.locator('[name=startsAt]').fill(localInput(72));
    await c.locator('[name=place]').fill('https://hop.example/hb');
    await c.locator('[name=agencies]').fill('SYT');
    await c.locator('[name=title]').fill('Họp báo chuyên đề y tế');
    await c.locator('button[type=submit]').click();
    await c.locator('.result.ok').waitFor(WAIT);
    expect(await c.locator('.result').textContent()).toContain('Đã lên lịch họp báo HB-');
    await coordinator.locator('#s-records tbody tr', { hasText: 'Họp báo chuyên đề y tế' }).waitFor(WAIT);
    expect(await sidewaysScroll(coordinator)).toBe(0);
    expect(await axeSerious(coordinator)).toEqual([]);
    await coordinator.locator('#record').screenshot({ path: join(OUT, 'dashboard-forms-coordinator-360.png') });
  });

  it('a correction request carries its official letter, from the dashboard and from Telegram: listed in the records and the report, downloaded only by those who may see it', async () => {
    const head = await signIn('LD-SYTE-01', 6);
    const coordinator = await signIn('DPV-VHTT-01', 7);
    const reporter = await signIn('PV-TTO-01', 8);
    const letter = sample.pdf(30_000, 3);
    const ref = await upload(head, 'Công văn 45-SYT đề nghị cải chính.pdf', letter);
    // Someone else's upload cannot be named as the letter.
    const foreign = await upload(reporter, 'khac.pdf', sample.pdf(5_000, 4));
    const fields = { outlet: 'Báo Điện tử Z', article: 'Bài "Dịch bệnh lan rộng"', published: localInput(-24).slice(0, 10), grounds: 'Số liệu sai' };
    expect((await post(head, 'correction', { ...fields, letter: foreign })).body).toMatchObject({ error: 'invalid', field: 'letter', message_vi: expect.stringContaining('Tệp văn bản không hợp lệ') });
    const made = await post(head, 'correction', { ...fields, letter: ref });
    expect(made.status).toBe(200);
    expect(made.body.message_vi).toContain('Văn bản kèm theo: Công văn 45-SYT đề nghị cải chính.pdf.');
    const row = (JSON.parse((await get(coordinator, 'records')).text) as { rows: Array<{ code: string; document: string | null; documentId: number | null }> }).rows.find((r) => r.code === made.body.code)!;
    expect(row.document).toBe('Công văn 45-SYT đề nghị cải chính.pdf');
    // The coordinator whose scope holds the agency downloads it, byte for byte; a reporter may not.
    const got = await file(coordinator, row.documentId!);
    expect(got.status).toBe(200);
    expect(sha256(got.bytes)).toBe(sha256(letter));
    expect((await file(reporter, row.documentId!)).status).not.toBe(200);

    // On Telegram, a regular spokesperson sends the letter as a document captioned with the command.
    const spokesperson = tgUser('Tuấn');
    await e.say(spokesperson, '/start pn-syte-01', 'Xin chào');
    const n = e.fake.sent.length;
    const tgLetter = sample.pdf(20_000, 5);
    e.fake.userSendsFile(spokesperson, { kind: 'document', bytes: tgLetter, name: 'CV 46-SYT.pdf', mimeType: 'application/pdf', caption: `/correction Báo Y | Bài "Thiếu vắc-xin" | ${fields.published.split('-').reverse().join('/')} | Sai sự thật` });
    const reply = await e.nextTo(spokesperson, n, 'Đã ghi nhận đề nghị cải chính');
    expect(reply.text).toContain('Văn bản kèm theo: CV 46-SYT.pdf.');
    const rows = (JSON.parse((await get(head, 'records')).text) as { rows: Array<{ document: string | null; documentId: number | null }> }).rows;
    const tgRow = rows.find((r) => r.document === 'CV 46-SYT.pdf')!;
    expect(sha256((await file(head, tgRow.documentId!)).bytes)).toBe(sha256(tgLetter));

    // A letter can come later: with the outcome, or alone (the newer replaces the earlier; the audit keeps which).
    const reply2 = await upload(head, 'Thư trả lời của Báo Z.pdf', sample.pdf(8_000, 6));
    const settled = await post(head, 'correction-outcome', { code: made.body.code!, outcome: 'corrected', note: 'Đã đính chính', letter: reply2 });
    expect(settled.body.message_vi).toBe(`Đã ghi kết quả đề nghị cải chính ${made.body.code}: đã cải chính.\nVăn bản kèm theo: Thư trả lời của Báo Z.pdf.`);
    expect((await post(head, 'correction-outcome', { code: made.body.code!, outcome: '' })).body.field).toBe('outcome'); // nothing to attach
    expect((await post(head, 'correction-outcome', { code: made.body.code!, outcome: '', letter: foreign })).body.field).toBe('letter');
    const bare = await post(head, 'correction', { ...fields, outlet: 'Báo W' });
    const later = await upload(head, 'CV 47-SYT.pdf', sample.pdf(6_000, 7));
    expect((await post(head, 'correction-outcome', { code: bare.body.code!, outcome: '', letter: later })).body.message_vi).toBe(`Đã đính kèm văn bản CV 47-SYT.pdf vào đề nghị cải chính ${bare.body.code}.`);
    // On Telegram: `/correction CC-n` as a file's caption attaches it (the spokesperson's own agency only).
    const m = e.fake.sent.length;
    const tgLater = sample.pdf(7_000, 8);
    e.fake.userSendsFile(spokesperson, { kind: 'document', bytes: tgLater, name: 'CV 48-SYT.pdf', mimeType: 'application/pdf', caption: `/correction ${bare.body.code}` });
    expect((await e.nextTo(spokesperson, m, 'Đã đính kèm văn bản')).text).toBe(`Đã đính kèm văn bản CV 48-SYT.pdf vào đề nghị cải chính ${bare.body.code}.`);
    const byCode = new Map((JSON.parse((await get(head, 'records')).text) as { rows: Array<{ code: string; document: string | null; documentId: number | null }> }).rows.map((r) => [r.code, r]));
    expect(byCode.get(made.body.code!)?.document).toBe('Thư trả lời của Báo Z.pdf');
    expect(byCode.get(bare.body.code!)?.document).toBe('CV 48-SYT.pdf');
    expect(sha256((await file(coordinator, byCode.get(bare.body.code!)!.documentId!)).bytes)).toBe(sha256(tgLater));
    const letters = await e.app.db.db.selectFrom('audit_events').select('action').where('action', '=', 'correction.letter').execute();
    expect(letters).toHaveLength(3);

    // The annual report's detail sheet names each letter.
    const res = await fetch(`${base()}/web/u/6/api/dashboard/annual?format=xlsx&year=${reportingYear()}&org=SYT`, { headers: { cookie: head.cookie } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const subjects = wb.getWorksheet('Chi tiết')!.getColumn(9).values.map(String);
    expect(subjects.some((v) => v.includes('Văn bản / letter: Thư trả lời của Báo Z.pdf'))).toBe(true);
    expect(subjects.some((v) => v.includes('Văn bản / letter: CV 46-SYT.pdf'))).toBe(true);
  });
  it('a regular spokesperson records for their own agency on the web: figures refused by the server, their forms and records shown, at 1280 and 360 px', async () => {
    const pn = await signIn('PN-TC-01', 9); // regular spokesperson of Sở Tài chính (STC)
    const head = await signIn('LD-SYTE-01', 1);
    for (const path of ['summary', 'league', 'overdue', 'trends', 'notices', `annual?format=html&year=${reportingYear()}`, 'export?table=league&format=csv']) expect((await get(pn, path)).status, path).toBe(403);
    expect(JSON.parse((await get(pn, 'me')).text)).toMatchObject({ recordsOnly: true, orgs: [{ code: 'STC' }] });
    const made = await post(pn, 'statement', { eventAt: localInput(-2), title: 'Thông tin về giá đất' });
    expect(made).toMatchObject({ status: 200, body: { ok: true } });
    expect((await post(pn, 'conference', { startsAt: localInput(48), place: 'Hội trường', host: 'HUE', agencies: 'STC', title: 'Họp báo' })).status).toBe(403);
    // Another agency's correction request is not theirs: refused as not found, and left as it was.
    const syt = await post(head, 'correction', { outlet: 'Báo V', article: 'Bài U', published: localInput(-24).slice(0, 10), grounds: 'Sai' });
    expect((await post(pn, 'correction-outcome', { code: syt.body.code!, outcome: 'corrected' })).status).toBe(404);
    expect((await e.app.db.db.selectFrom('correction_requests').select('outcome').where('id', '=', Number(syt.body.code!.slice(3))).executeTakeFirstOrThrow()).outcome).toBe('pending');
    const records = JSON.parse((await get(pn, 'records')).text) as { rows: Array<{ code: string }> };
    expect(records.rows.map((r) => r.code)).toEqual([made.body.code]);
    expect((await get(pn, 'export?table=records&format=csv')).text).toContain('Thông tin về giá đất');

    // The page uses the session signed in above (sign-ins from one address are rate-limited, and this file makes many).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = pn.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: `${base()}/web/u/9/api/` }]);
    const page: Page = await context.newPage();
    await page.goto(`${base()}/dashboard/u/9/`);
    await page.locator('#s-records tbody tr', { hasText: 'Thông tin về giá đất' }).waitFor(WAIT);
    expect(await page.locator('#f-statement').isVisible()).toBe(true);
    expect(await page.locator('#f-outcome').isVisible()).toBe(true);
    expect(await page.locator('#f-conference').isVisible()).toBe(false);
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.locator('#annual').isVisible()).toBe(false);
    expect(await page.locator('#s-league').count()).toBe(0);
    const form = page.locator('#f-statement');
    await form.locator('[name=eventAt]').fill(localInput(-1));
    await form.locator('[name=title]').fill('Điều chỉnh bảng giá đất');
    await form.locator('button[type=submit]').click();
    await form.locator('.result.ok').waitFor(WAIT);
    await page.locator('#s-records tbody tr', { hasText: 'Điều chỉnh bảng giá đất' }).waitFor(WAIT);
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: join(OUT, 'dashboard-spokesperson-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.reload();
    await page.locator('#s-records tbody tr', { hasText: 'Điều chỉnh bảng giá đất' }).waitFor(WAIT);
    expect(await sidewaysScroll(page)).toBe(0);
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: join(OUT, 'dashboard-spokesperson-360.png'), fullPage: true });
  });
});
