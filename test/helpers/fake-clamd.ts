import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A tiny clamd speaking INSTREAM: flags the EICAR string, counts scans and bytes. */
export interface FakeClamd {
  address: string;
  scans: number;
  bytesSeen: number;
  close(): Promise<void>;
}

const EICAR = 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE';

/** Starts the fake on a free loopback port. */
export async function startFakeClamd(): Promise<FakeClamd> {
  const state = { scans: 0, bytesSeen: 0 };
  const server: Server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let commandDone = false;
    const seen: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!commandDone) {
        const nul = buffer.indexOf(0);
        if (nul < 0) return;
        if (buffer.subarray(0, nul).toString('latin1') !== 'zINSTREAM') { socket.end('UNKNOWN COMMAND\0'); return; }
        commandDone = true;
        buffer = buffer.subarray(nul + 1);
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          state.scans += 1;
          const all = Buffer.concat(seen).toString('latin1');
          socket.end(all.includes(EICAR) ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          return;
        }
        if (buffer.length < 4 + length) return;
        const piece = buffer.subarray(4, 4 + length);
        state.bytesSeen += piece.length;
        // Keep only a window: enough to find the signature across a chunk boundary.
        seen.push(piece.length > 256 ? Buffer.concat([piece.subarray(0, 128), piece.subarray(-128)]) : piece);
        buffer = buffer.subarray(4 + length);
      }
    });
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const { port } = server.address() as AddressInfo;
  return {
    address: `tcp://127.0.0.1:${port}`,
    get scans() { return state.scans; },
    get bytesSeen() { return state.bytesSeen; },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); }),
  } as FakeClamd;
}
