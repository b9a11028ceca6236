import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeCredentials, type CredentialsBox } from '../adapters/zalo-personal/credentials.js';
import { createZcaClient, QrLoginFailed, type ZcaClient } from '../adapters/zalo-personal/zca.js';
import type { Config } from './config.js';
import { loadSecretBox } from './secrets-key.js';

/** Options of {@link runZaloLogin}. */
export interface ZaloLoginOptions {
  /** The zca-js seam (a fake in tests). */
  client: ZcaClient;
  /** Where the session is saved (mode 600, sealed by `box`). */
  credentialsPath: string;
  /** The deployment's secrets box (`src/secrets-key.ts`). */
  box: CredentialsBox;
  /** Where the QR code image is written (mode 600), for operators whose terminal cannot show it. */
  qrImagePath: string;
  /** How long to wait for the scan and confirmation, in ms. */
  timeoutMs: number;
  /** Prints one block of text for the operator. */
  print: (text: string) => void;
}

/** A login that did not complete; the message (Vietnamese, then English) is for the operator, no stack needed. */
export class ZaloLoginError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZaloLoginError';
  }
}

/**
 * `liaison zalo login`: logs the personal Zalo account in by QR code. Shows the code in the
 * terminal and writes it as a PNG file, waits for the scan and the confirmation on the phone,
 * saves the credentials (mode 600) and prints what to do next. Throws {@link ZaloLoginError} on
 * expiry, refusal or timeout.
 */
export async function runZaloLogin(o: ZaloLoginOptions): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutMs);
  let shown: Promise<void> = Promise.resolve();
  try {
    const { credentials } = await o.client.loginQR({
      onQr: (qr) => { shown = shown.then(() => showQr(o, qr)); },
      onScanned: (name) => o.print(`Đã quét bởi «${name}». Hãy xác nhận đăng nhập trên điện thoại. / Scanned by «${name}»: confirm the login on the phone.`),
    }, controller.signal);
    await shown;
    await writeCredentials(o.credentialsPath, credentials, o.box);
    await rm(o.qrImagePath, { force: true });
    o.print(nextSteps(o.credentialsPath));
  } catch (err) {
    await shown.catch(() => undefined);
    throw toLoginError(err, o.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

async function showQr(o: ZaloLoginOptions, qr: { imageBase64: string; code: string }): Promise<void> {
  await mkdir(dirname(o.qrImagePath), { recursive: true, mode: 0o700 });
  await writeFile(o.qrImagePath, Buffer.from(qr.imageBase64, 'base64'), { mode: 0o600 });
  await chmod(o.qrImagePath, 0o600);
  // Zalo's own image (the PNG) is authoritative; the terminal rendering encodes the same login code.
  // Loaded here, not at the top: every `liaison` command shares this bundle, and the bot never draws QR codes.
  const { default: QRCode } = await import('qrcode');
  const terminal = await QRCode.toString(qr.code, { type: 'terminal', small: true });
  o.print([
    'Quét mã QR này bằng ứng dụng Zalo của tài khoản cá nhân dùng cho bot (Zalo → biểu tượng QR).',
    'Scan this QR code with the Zalo app of the personal account the bot will use.',
    terminal,
    `Nếu mã hiển thị không rõ, mở ảnh / If the code above is hard to scan, open the image: ${o.qrImagePath}`,
    'Mã hết hạn sau khoảng 100 giây. / The code expires after about 100 seconds.',
  ].join('\n'));
}

function nextSteps(credentialsPath: string): string {
  return [
    `Đã đăng nhập và lưu phiên tại ${credentialsPath} (chỉ chủ sở hữu đọc được).`,
    'Bước tiếp theo: đặt ZALO_PERSONAL_ENABLED=true trong .env (nếu chưa), rồi khởi động lại bot (npm start).',
    'Không mở Zalo Web/PC bằng tài khoản này trong khi bot chạy: Zalo sẽ ngắt kết nối của bot.',
    `Logged in; the session is saved at ${credentialsPath} (owner-only).`,
    'Next: set ZALO_PERSONAL_ENABLED=true in .env (if not yet), then restart the bot (npm start).',
    'Do not open Zalo Web/PC with this account while the bot runs: Zalo would disconnect the bot.',
  ].join('\n');
}

function toLoginError(err: unknown, timeoutMs: number): ZaloLoginError {
  if (err instanceof ZaloLoginError) return err;
  const again = 'Chạy lại / Run again: liaison zalo login';
  if (err instanceof QrLoginFailed) {
    switch (err.reason) {
      case 'expired':
        return new ZaloLoginError(`Mã QR đã hết hạn trước khi được quét. / The QR code expired before it was scanned.\n${again}`, { cause: err });
      case 'declined':
        return new ZaloLoginError(`Đăng nhập bị từ chối trên điện thoại. / The login was declined on the phone.\n${again}`, { cause: err });
      case 'aborted':
        return new ZaloLoginError(`Hết thời gian chờ quét mã (${Math.round(timeoutMs / 1000)} giây). / Timed out waiting for the scan (${Math.round(timeoutMs / 1000)} s).\n${again}`, { cause: err });
      case 'failed':
        break;
    }
  }
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new ZaloLoginError(`Đăng nhập Zalo không thành công / Zalo login failed: ${detail}\n${again}`, { cause: err });
}

/** The `liaison zalo login` command with the real zca-js client, printing to the terminal. */
export function zaloLoginCommand(config: Readonly<Config>): Promise<void> {
  const zalo = config.zaloPersonal;
  return runZaloLogin({
    client: createZcaClient(), credentialsPath: zalo.credentialsPath, box: loadSecretBox(config.secretsKey), qrImagePath: zalo.qrImagePath,
    timeoutMs: zalo.loginTimeoutMs, print: (text) => console.log(text),
  });
}
