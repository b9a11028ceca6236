import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Sample bytes of the types the tests need (real magic numbers; `file-type` reads them). */
export const sample = {
  /** A PDF of exactly `size` bytes (a header, a body of `%` comment lines, an EOF marker). */
  pdf(size = 2048, seed = 1): Buffer {
    const head = Buffer.from(`%PDF-1.7\n%seed ${seed}\n`, 'latin1');
    const tail = Buffer.from('\n%%EOF\n', 'latin1');
    const body = Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x25);
    for (let i = 80; i < body.length; i += 81) body[i] = 0x0a;
    return Buffer.concat([head, body, tail]);
  },
  /** A 1×1 PNG (with `seed` in a text chunk so different seeds give different bytes). */
  png(seed = 1): Buffer {
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    const idat = Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01]);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr), chunk('tEXt', Buffer.from(`seed\0${seed}`, 'latin1')), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0)),
    ]);
  },
  /** A JPEG-looking file (SOI, APP0 JFIF, padding, EOI). */
  jpeg(size = 4096): Buffer {
    const head = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - 2), 0x11), Buffer.from([0xff, 0xd9])]);
  },
  /** A Windows executable's header (`MZ` … `PE\0\0`): what a renamed `.exe` really is. */
  exe(size = 1024): Buffer {
    const b = Buffer.alloc(size, 0);
    b.write('MZ', 0, 'latin1');
    b.writeUInt32LE(0x80, 0x3c);
    b.write('PE\0\0', 0x80, 'latin1');
    b.writeUInt16LE(0x14c, 0x84);
    return b;
  },
  /** The EICAR test string: scanners flag it although it is harmless. */
  eicar(): Buffer {
    return Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');
  },
};

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A stream of `b` in chunks of `chunk` bytes. */
export function streamOf(b: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from((function* () { for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk); })());
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of stream) parts.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece as unknown as Uint8Array));
  return Buffer.concat(parts);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k += 1) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}
