import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { botMessage, launchChromium } from '../helpers/browser.js';
import { tgUser } from '../helpers/e2e-app.js';
import { sample, sha256 } from '../helpers/files.js';
import { createZaloE2E, type ZaloE2E } from '../helpers/zalo-oa-e2e.js';
import { hashInviteCode } from '../../db/invite-hash.js';

// A loaded CI machine can take tens of seconds for a page: these bound a hang, not the speed.
const WAIT = { timeout: 90_000 };
const tgReporter = tgUser('Thư');
const ZALO_REPORTER = '5720398470283746777';


async function press(page: Page, label: string | RegExp): Promise<void> {
  await page.locator('button.action', { hasText: label }).last().click();
}

/** Attaches files through the composer's button (a file chooser, as a person picks files). */
async function attach(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  await page.locator('#attach-input').setInputFiles(files);
}

/** The browser's objects the page-side helpers use (this project compiles without the DOM library). */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  DragEvent: new (type: string, init: object) => unknown;
  ClipboardEvent: new (type: string, init: object) => unknown;
  document: { getElementById(id: string): { dispatchEvent(event: unknown): boolean } | null };
}

/** Drops a file onto the conversation, as a person drags it from their desktop. */
async function drop(page: Page, file: { name: string; mimeType: string; bytes: Buffer }): Promise<void> {
  await page.evaluate(({ name, mimeType, base64 }) => {
    const w = globalThis as unknown as PageGlobals;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const dt = new w.DataTransfer();
    dt.items.add(new w.File([bytes], name, { type: mimeType }));
    const chat = w.document.getElementById('chat')!;
    chat.dispatchEvent(new w.DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    chat.dispatchEvent(new w.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { name: file.name, mimeType: file.mimeType, base64: file.bytes.toString('base64') });
}

/** Pastes a file into the message box, as a person pastes a screenshot. */
async function paste(page: Page, file: { name: string; mimeType: string; bytes: Buffer }): Promise<void> {
  await page.evaluate(({ name, mimeType, base64 }) => {
    const w = globalThis as unknown as PageGlobals;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const dt = new w.DataTransfer();
    dt.items.add(new w.File([bytes], name, { type: mimeType }));
    w.document.getElementById('composer-text')!.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, { name: file.name, mimeType: file.mimeType, base64: file.bytes.toString('base64') });
}

/** Waits until every attached file finished uploading (no progress bar left, none failed). */
async function uploaded(page: Page, count: number): Promise<void> {
  await expect.poll(() => page.locator('.pending-file.is-ready').count(), WAIT).toBe(count);
}

/** A verified reporter with an invite code (the sample has two; this one uses the web page). */
async function addReporter(z: ZaloE2E, code: string, name: string, invite: string): Promise<void> {
  const db = z.e.app.db.db;
  const at = new Date().toISOString();
  const person = await db.insertInto('persons').values({
    code, full_name: name, outlet_id: null, outlet_name: 'Báo Thử', press_card: 'THU-0001', phone: null, tags: null, locale: 'vi',
    invite_code: hashInviteCode(invite), invite_used_at: null, created_at: at, updated_at: at,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('role_assignments').values({
    person_id: person.id, role: 'reporter', kind: null, org_id: null, status: 'active', case_inquiry_id: null, valid_from: null, valid_to: null, created_at: at, updated_at: at,
  }).execute();
}

describe('photos and documents across Telegram, the Zalo OA and the web page (Chromium, whole bot)', { timeout: 300_000 }, () => {
  let z: ZaloE2E;
  let browser: Browser;
  let context: BrowserContext;
  let staff: Page;
  let webReporter: Page;
  const base = () => `http://127.0.0.1:${z.e.app.httpPort}`;

  const signedInTab = async (slot: number, code: string, greeting: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${base()}/web/u/${slot}/?code=${code}`);
    await page.locator('#sign-in button[type="submit"]').click();
    await botMessage(page, greeting).waitFor(WAIT);
    return page;
  };

  beforeAll(async () => {
    z = await createZaloE2E({ FILES_MAX_MB: '3' });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 390, height: 844 } });
    await addReporter(z, 'PV-WEB-01', 'Đặng Thu Hà', 'pv-web-01');
    staff = await signedInTab(1, 'pn-syte-01', 'Xin chào Hoàng Minh Tuấn');
    webReporter = await signedInTab(2, 'pv-web-01', 'Xin chào Đặng Thu Hà');
    await z.e.say(tgReporter, '/start pv-hue-01', 'Xin chào');
    await z.say(ZALO_REPORTER, '/start pv-tto-01', 'Xin chào');
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await z?.close();
  });

  /** The spokesperson replies on the web page to the notification of `code` with `text` and a PDF; returns the PDF. */
  async function answerWithPdf(code: string, text: string, seed: number): Promise<Buffer> {
    const notice = botMessage(staff, code);
    await notice.waitFor(WAIT);
    await notice.locator('button.reply-button').click();
    const letter = sample.pdf(600_000, seed);
    await attach(staff, [{ name: `Công văn ${seed}-SYT.pdf`, mimeType: 'application/pdf', buffer: letter }]);
    await uploaded(staff, 1);
    await staff.locator('#composer-text').fill(text);
    await staff.locator('#composer-text').press('Enter');
    // Previewed first: the answer and its letter go only with [Gửi câu trả lời].
    await staff.locator('li.msg-bot', { hasText: 'CHƯA GỬI' }).filter({ hasText: text }).last().waitFor(WAIT);
    await staff.locator('button.action', { hasText: 'Gửi câu trả lời' }).last().click();
    await staff.locator('li.msg-bot', { hasText: 'Đã gửi câu trả lời chính thức' }).filter({ hasText: code }).last().waitFor(WAIT);
    await expect.poll(() => staff.locator('.pending-file').count()).toBe(0);
    return letter;
  }

  it('a photo into a question from Telegram reaches the spokesperson\'s page as a thumbnail; a PDF answer from the page reaches the reporter on Telegram byte for byte, under the question', async () => {
    const photo = sample.png(91);
    const n = z.e.fake.sent.length;
    const m = z.e.fake.userSendsFile(tgReporter, { kind: 'photo', bytes: photo, caption: 'Ngập nặng ở Kim Long, có hỗ trợ người dân không?' });
    await z.e.nextTo(tgReporter, n, 'lĩnh vực nào');
    await z.e.press(tgReporter, 'Y tế', 'Xác nhận gửi');
    const code = /Q-\d+/.exec((await z.e.press(tgReporter, 'Gửi', 'Đã tiếp nhận')).text)![0];
    // The question's photo, shown in the page as an image the browser decoded.
    const thumb = staff.locator('img.file-thumb').last();
    await thumb.waitFor(WAIT);
    await expect.poll(() => thumb.evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth; }), WAIT).toBe(1);

    const k = z.e.fake.sent.length;
    const letter = await answerWithPdf(code, 'Sở đã hỗ trợ 200 suất ăn, công văn kèm theo.', 91);
    const answer = await z.e.nextTo(tgReporter, k, `Trả lời câu hỏi ${code}`);
    expect(answer.replyToMessageId).toBe(m.message_id);
    const doc = await z.e.nextTo(tgReporter, k, (s) => s.file?.sha256 === sha256(letter));
    expect(doc.file).toMatchObject({ name: 'Công văn 91-SYT.pdf', method: 'sendDocument' });
    expect(doc.replyToMessageId).toBe(m.message_id);
  });

  it('the same kind of answer reaches a reporter on the Zalo OA (uploaded, then sent by token) and a reporter on the web page (a chip; the download is byte-identical)', async () => {
    const zn = z.fake.sent.length;
    const menu = await z.say(ZALO_REPORTER, 'Bao giờ có số liệu thiệt hại do lũ?', 'lĩnh vực nào');
    const confirm = await z.choose(ZALO_REPORTER, menu, 'Y tế', 'Xác nhận gửi');
    const zaloCode = /Q-\d+/.exec((await z.choose(ZALO_REPORTER, confirm, 'Gửi', 'Đã tiếp nhận')).text)![0];
    const zaloLetter = await answerWithPdf(zaloCode, 'Số liệu thiệt hại trong công văn kèm theo.', 92);
    const onZalo = await z.nextTo(ZALO_REPORTER, zn, (s) => s.file?.sha256 === sha256(zaloLetter));
    expect(onZalo.file).toMatchObject({ type: 'file', name: 'Công văn 92-SYT.pdf' });

    // The web reporter's question: a photo dropped on the conversation, another pasted, then the text.
    await drop(webReporter, { name: 'hien-truong-1.png', mimeType: 'image/png', bytes: sample.png(93) });
    await paste(webReporter, { name: 'hien-truong-2.png', mimeType: 'image/png', bytes: sample.png(94) });
    await uploaded(webReporter, 2);
    expect(await webReporter.locator('.pending-thumb').count()).toBe(2);
    await webReporter.locator('#composer-text').fill('Cầu Phú Xuân có an toàn để đi lại không?');
    await webReporter.locator('#composer-text').press('Enter');
    await press(webReporter, 'Y tế');
    await press(webReporter, /^Gửi$/);
    const accepted = botMessage(webReporter, 'Đã tiếp nhận câu hỏi');
    await accepted.waitFor(WAIT);
    const webCode = /Q-\d+/.exec((await accepted.textContent()) ?? '')![0];
    // The reporter's own message shows its two photos.
    expect(await webReporter.locator('li.msg-user img.file-thumb').count()).toBeGreaterThanOrEqual(2);
    const webLetter = await answerWithPdf(webCode, 'Cầu an toàn, kết quả kiểm định kèm theo.', 95);
    const chip = webReporter.locator('a.file-chip', { hasText: 'Công văn 95-SYT.pdf' });
    await chip.waitFor(WAIT);
    expect(await chip.textContent()).toContain('PDF · 586 KB');
    const [download] = await Promise.all([webReporter.waitForEvent('download'), chip.click()]);
    expect(download.suggestedFilename()).toBe('Công văn 95-SYT.pdf');
    expect(sha256(readFileSync((await download.path())!))).toBe(sha256(webLetter));
    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    await webReporter.screenshot({ path: join(REPO_ROOT, 'test-output', 'web-files.png'), fullPage: true });
    const files = await z.e.app.db.db.selectFrom('attachments').select('sha256').where('inquiry_id', '=', Number(webCode.slice(2))).execute();
    expect(files.map((f) => f.sha256).sort()).toEqual([sha256(sample.png(93)), sha256(sample.png(94)), sha256(webLetter)].sort());
  });

  it('oversize, a wrong type and a renamed executable are refused in the page, in the person\'s language; a file from outside their inquiries is not theirs to fetch', async () => {
    await attach(webReporter, [
      { name: 'lon.pdf', mimeType: 'application/pdf', buffer: sample.pdf(4 * 1024 * 1024, 96) },
      { name: 'ghi-chu.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from('chỉ là chữ, không phải Word') },
      { name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: sample.exe() },
    ]);
    await expect.poll(() => webReporter.locator('.pending-file.is-failed').count(), WAIT).toBe(3);
    const failed = webReporter.locator('.pending-file.is-failed');
    expect(await failed.nth(0).textContent()).toContain('Tệp quá lớn');
    expect(await failed.nth(1).textContent()).toContain('Nội dung tệp được kiểm tra');
    expect(await failed.nth(2).textContent()).toContain('Nội dung tệp được kiểm tra');
    // Nothing can be sent with them; in English the same refusals read in English.
    await webReporter.locator('#lang-toggle').click();
    expect(await failed.nth(1).textContent()).toContain('The content is checked, not the name');
    for (let i = 0; i < 3; i += 1) await webReporter.locator('.pending-remove').first().click();
    await webReporter.locator('#lang-toggle').click();

    // The Telegram reporter's photo belongs to another inquiry: the web reporter's session may not fetch it.
    const other = await z.e.app.db.db.selectFrom('attachments').select('id').where('sha256', '=', sha256(sample.png(91))).executeTakeFirstOrThrow();
    const refused = await webReporter.evaluate(async (id) => {
      const res = await fetch(`/web/u/2/api/file?id=${id}`);
      return { status: res.status, body: await res.json() as { message_vi: string } };
    }, other.id);
    expect(refused).toEqual({ status: 404, body: expect.objectContaining({ message_vi: 'Không tìm thấy tệp.' }) });
    // Nor send it as their own: the bot refuses the ref in the chat, in Vietnamese.
    await webReporter.evaluate(async (id) => {
      const session = await (await fetch('/web/u/2/api/session')).json() as { csrfToken: string };
      await fetch('/web/u/2/api/messages', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ text: 'Xem ảnh này', clientId: `forged-${id}`, files: [`upload:${id}`] }),
      });
    }, other.id);
    await botMessage(webReporter, 'không thuộc về bạn').waitFor(WAIT);
  });
});
