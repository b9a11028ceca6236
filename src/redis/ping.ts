import { createConnection } from 'node:net';

/**
 * Sends one command to the Redis server on the unix socket `path` and resolves with its reply as
 * text (a simple, error or bulk reply, without its framing), or undefined when nothing answers
 * within `timeoutMs` or the server closes the connection first (as `SHUTDOWN` does). Speaks raw
 * RESP so a probe never leaves a reconnecting client behind.
 */
function commandOnUnixSocket(path: string, command: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let reply = Buffer.alloc(0);
    const socket = createConnection({ path });
    const finish = (text: string | undefined) => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const lineEnd = reply.indexOf('\r\n');
      if (lineEnd < 0) return;
      const head = reply.subarray(0, lineEnd).toString('utf8');
      if (!head.startsWith('$')) return finish(head);
      // A bulk reply: its length in bytes, then the bytes.
      const length = Number(head.slice(1));
      if (length < 0) return finish('');
      if (reply.length >= lineEnd + 2 + length) finish(reply.subarray(lineEnd + 2, lineEnd + 2 + length).toString('utf8'));
    });
  });
}

/**
 * True when a Redis server answers `PING` with `+PONG` on the unix socket `path` within
 * `timeoutMs`. A server still loading its AOF answers `-LOADING` and counts as not ready.
 */
export async function pingUnixSocket(path: string, timeoutMs = 1000): Promise<boolean> {
  return (await commandOnUnixSocket(path, 'PING', timeoutMs)) === '+PONG';
}

/**
 * How many clients other than this probe the server on `path` has connected (a running bot holds
 * several), or undefined when it does not answer.
 */
export async function otherClientsOnUnixSocket(path: string, timeoutMs = 1000): Promise<number | undefined> {
  const list = await commandOnUnixSocket(path, 'CLIENT LIST', timeoutMs);
  if (list === undefined || list.startsWith('-')) return undefined;
  return Math.max(0, list.split('\n').filter((line) => line.trim() !== '').length - 1);
}

/** The process id of the server on `path` (`INFO server`), or undefined when it does not answer. */
export async function serverPidOnUnixSocket(path: string, timeoutMs = 1000): Promise<number | undefined> {
  const info = await commandOnUnixSocket(path, 'INFO server', timeoutMs);
  const pid = Number(/^process_id:(\d+)/m.exec(info ?? '')?.[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Asks the server on `path` to shut down (with AOF on, it fsyncs the file first). */
export async function shutdownOnUnixSocket(path: string, timeoutMs = 1000): Promise<void> {
  await commandOnUnixSocket(path, 'SHUTDOWN', timeoutMs);
}
