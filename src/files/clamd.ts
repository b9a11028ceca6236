import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** The verdict of a virus scan. */
export type ScanVerdict = { clean: true } | { clean: false; signature: string };

/** Scans a stream of bytes; throws when the scanner cannot be asked (the file is then not accepted). */
export type Scanner = (bytes: Readable) => Promise<ScanVerdict>;

/** Where clamd listens: `tcp://host:port` or `unix:/path/to/clamd.ctl`. */
export function parseClamdAddress(address: string): { host: string; port: number } | { path: string } {
  if (address.startsWith('unix:')) return { path: address.slice('unix:'.length) };
  const url = new URL(address);
  if (url.protocol !== 'tcp:' || !url.hostname || !url.port) throw new Error('clamd address must be tcp://host:port or unix:/path');
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
}

/** Largest chunk sent in one INSTREAM frame, in bytes (clamd's StreamMaxLength applies to the total). */
const CHUNK = 64 * 1024;

/**
 * A scanner that speaks clamd's INSTREAM protocol: `zINSTREAM\0`, then frames of a 4-byte
 * big-endian length and that many bytes, then a zero-length frame; clamd answers
 * `stream: OK` or `stream: <signature> FOUND` (NUL-terminated with the `z` prefix). The file is
 * streamed, never held whole. `timeoutMs` bounds the whole exchange.
 */
export function createClamdScanner(address: string, timeoutMs = 60_000): Scanner {
  const target = parseClamdAddress(address);
  return (bytes) => new Promise<ScanVerdict>((resolve, reject) => {
    const socket: Socket = 'path' in target ? connect(target.path) : connect(target.port, target.host);
    const replies: Buffer[] = [];
    let settled = false;
    const finish = (err: Error | undefined, verdict?: ScanVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      bytes.destroy();
      socket.destroy();
      if (err) reject(err); else resolve(verdict!);
    };
    const timer = setTimeout(() => finish(new Error('clamd: no answer in time')), timeoutMs);
    socket.on('error', (err) => finish(new Error(`clamd: ${err.message}`)));
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    socket.on('end', () => {
      const answer = Buffer.concat(replies).toString('utf8').replace(/\0/g, '').trim();
      try {
        finish(undefined, parseClamdAnswer(answer));
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.once('connect', () => {
      void pump(bytes, socket).catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    });
  });
}

async function pump(bytes: Readable, socket: Socket): Promise<void> {
  const write = (data: Buffer) => new Promise<void>((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
  await write(Buffer.from('zINSTREAM\0', 'latin1'));
  for await (const piece of bytes) {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
    for (let offset = 0; offset < buffer.length; offset += CHUNK) {
      const slice = buffer.subarray(offset, offset + CHUNK);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(slice.length);
      await write(length);
      await write(slice);
    }
  }
  await write(Buffer.alloc(4));
}

/** `stream: OK` → clean; `stream: Eicar-Test-Signature FOUND` → flagged; anything else (an ERROR) throws. */
export function parseClamdAnswer(answer: string): ScanVerdict {
  const text = answer.replace(/^\d+:\s*/, '');
  if (/^stream: OK$/.test(text)) return { clean: true };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { clean: false, signature: found[1]! };
  throw new Error(`clamd: ${text.slice(0, 200) || 'empty answer'}`);
}
