import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCredentials } from '../../adapters/zalo-personal/credentials.js';
import { runZaloLogin, ZaloLoginError } from '../../src/zalo-login.js';
import { FAKE_QR_PNG_BASE64, FakeZalo } from '../fakes/zalo-personal/fake-zca.js';
import { testBox } from '../helpers/secrets.js';

describe('liaison zalo login (fake zca-js seam)', () => {
  let dir: string;
  let printed: string[];
  let fake: FakeZalo;
  const run = (timeoutMs = 5000) => runZaloLogin({
    client: fake, credentialsPath: join(dir, 'zalo', 'credentials.json'), box: testBox, qrImagePath: join(dir, 'zalo', 'login-qr.png'),
    timeoutMs, print: (text) => { printed.push(text); },
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zalo-login-'));
    printed = [];
    fake = new FakeZalo();
  });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('shows the QR in the terminal, saves the credentials with mode 600, says what to do next', async () => {
    await run();
    const out = printed.join('\n');
    expect(out).toMatch(/[▀▄█]/); // the terminal rendering of the QR code
    expect(out).toContain(join(dir, 'zalo', 'login-qr.png'));
    expect(out).toContain('Đã quét bởi «Người quét»');
    expect(out).toContain('ZALO_PERSONAL_ENABLED=true');
    expect(out).toContain('khởi động lại bot');
    const path = join(dir, 'zalo', 'credentials.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Sealed at rest: neither the cookie's value nor the imei is readable in the file.
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain('fake-imei-0001');
    expect(onDisk).not.toContain(String((fake.cookies[0] as { value: string }).value));
    expect(await readCredentials(path, testBox)).toEqual({ cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' });
    expect(existsSync(join(dir, 'zalo', 'login-qr.png'))).toBe(false); // a used code is removed
  });

  it('an expired QR fails with a clear bilingual message, leaving the PNG it wrote (mode 600) and no credentials', async () => {
    fake.qrScenario = 'expire';
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloLoginError);
    expect((error as Error).message).toContain('Mã QR đã hết hạn');
    expect((error as Error).message).toContain('The QR code expired');
    const png = join(dir, 'zalo', 'login-qr.png');
    expect(readFileSync(png)).toEqual(Buffer.from(FAKE_QR_PNG_BASE64, 'base64'));
    expect(statSync(png).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'zalo', 'credentials.json'))).toBe(false);
  });

  it('no scan within the timeout fails clearly', async () => {
    fake.qrScenario = 'hang';
    const error = await run(50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloLoginError);
    expect((error as Error).message).toContain('Hết thời gian chờ quét mã');
    expect((error as Error).message).toContain('liaison zalo login');
  });

  it('a login declined on the phone fails clearly', async () => {
    fake.qrScenario = 'decline';
    await expect(run()).rejects.toThrow(/từ chối trên điện thoại.*declined/s);
  });
});
