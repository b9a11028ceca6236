import { createConnection } from 'node:net';

/**
 * True when a Redis server answers `PING` with `+PONG` on the unix socket `path` within
 * `timeoutMs`. A server still loading its AOF answers `-LOADING` and counts as not ready.
 * Speaks raw RESP so a probe never leaves a reconnecting client behind.
 */
export function pingUnixSocket(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = createConnection({ path });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
