import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebStore } from '../../db/repositories/web.js';
import { createWebClient } from '../fakes/web/client.js';
import { createE2E, tgUser, type E2E } from '../helpers/e2e-app.js';

const reporter = tgUser('Thư');
const stranger = tgUser('Lạ');
const CODE = /[A-Z2-9]{4}-[A-Z2-9]{4}/;

describe('no usable credential at rest in clear (issue #10, High)', () => {
  let e: E2E;
  beforeAll(async () => { e = await createE2E(); });
  afterAll(async () => { await e.close(); });

  const db = () => e.app.db.db;
  const payloads = async () => (await db().selectFrom('inbound_events').select('payload').execute()).map((r) => r.payload).join('\n');
  /** Waits until no outbox row is pending, then returns every row's text. */
  const deliveredTexts = async () => {
    await expect.poll(async () => (await db().selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length, { timeout: 15_000 }).toBe(0);
    return (await db().selectFrom('outbox').select(['text', 'masked_text', 'secrets']).execute());
  };

  it('an invite, a link code and a sign-in code are masked in payloads and sent texts once used or delivered, and still work', async () => {
    await e.say(reporter, '/start pv-hue-01', 'Xin chào');
    const link = await e.say(reporter, '/link', 'Mã liên kết');
    const linkCode = CODE.exec(link.text)![0];
    await e.say(stranger, linkCode.toLowerCase().replace('-', ' '), 'Đã liên kết');
    const web = await e.say(reporter, '/web', 'web');
    const webCode = CODE.exec(web.text)![0];

    const rows = await deliveredTexts();
    const stored = rows.map((r) => r.text).join('\n');
    for (const secret of [linkCode, webCode]) expect(stored).not.toContain(secret);
    expect(stored).toContain('Mã liên kết: ••••••••');
    expect(rows.every((r) => r.masked_text === null && r.secrets === null)).toBe(true);
    const events = await payloads();
    for (const secret of ['pv-hue-01', linkCode.toLowerCase().replace('-', ' ')]) expect(events).not.toContain(secret);
    expect(events).toContain('"args":"•••••••"');

    // The code the outbox no longer holds in clear still signs in: only its hash is needed.
    const browser = createWebClient(`http://127.0.0.1:${e.app.httpPort}`);
    expect((await browser.signIn(webCode)).status).toBe(200);
  });

  it('the web timeline shows a code to its page while it lives, stores it masked, and keeps a typed code masked', async () => {
    const browser = createWebClient(`http://127.0.0.1:${e.app.httpPort}`);
    expect((await browser.signIn('pn-syte-01')).status).toBe(200);
    expect((await browser.post('/web/api/messages', { text: '/link', clientId: browser.newClientId() })).status).toBe(200);
    const shown = async () => ((await browser.get('/web/api/messages')).body.messages as Array<{ from: string; text: string }>);
    await expect.poll(async () => (await shown()).some((m) => m.from === 'bot' && CODE.test(m.text)), { timeout: 15_000 }).toBe(true);
    const code = CODE.exec((await shown()).find((m) => CODE.test(m.text))!.text)![0];
    const raw = (await db().selectFrom('web_messages').select('text').execute()).map((r) => r.text).join('\n');
    expect(raw).not.toContain(code);
    expect(raw).toContain('••••••••');
    // Past its lifetime (10 minutes), the clear text is erased and the page gets the masked one.
    await createWebStore(db()).eraseExpiredReveals(new Date(Date.now() + 10 * 60_000 + 1).toISOString());
    expect((await db().selectFrom('web_messages').select('reveal_text').where('reveal_text', 'is not', null).execute())).toEqual([]);
    expect((await shown()).map((m) => m.text).join('\n')).not.toContain(code);
    expect((await shown()).map((m) => m.text).join('\n')).toContain('Mã liên kết: ••••••••');

    // A code the person types is masked in their own timeline entry and in the stored event.
    expect((await browser.post('/web/api/messages', { text: '/link QRST-UVWX', clientId: browser.newClientId() })).status).toBe(200);
    // The bot's own link message reads "/link ••••••••" once masked, so wait for the person's entry:
    // it is masked in the transaction that masks the stored event.
    const typed = async () => (await shown()).filter((m) => m.from !== 'bot').map((m) => m.text);
    await expect.poll(typed, { timeout: 15_000 }).toContain('/link ••••••••');
    expect((await typed()).join('\n')).not.toContain('QRST-UVWX');
    expect(await payloads()).not.toContain('QRST-UVWX');
  });
});
