/** No Redis to run the queues on: the `redis-server` binary is missing and no `REDIS_URL` is set. */
export class RedisUnavailableError extends Error {
  constructor(readonly bin: string, options?: { cause?: unknown }) {
    super([
      `Cần Redis cho hàng đợi tin nhắn nhưng không tìm thấy chương trình "${bin}": cài Redis hoặc đặt REDIS_URL.`,
      `Redis is needed for the message queues, but the program "${bin}" was not found.`,
      'Either install Redis on this machine, for example:',
      '  sudo apt-get install redis-server      (Debian/Ubuntu; other systems: the OS package "redis")',
      '  brew install redis                     (macOS)',
      'or point the bot at a Redis server you already have:',
      '  REDIS_URL=redis://host:6379',
      'or, if redis-server is installed elsewhere, set REDIS_SERVER_BIN=/path/to/redis-server.',
    ].join('\n'), options);
    this.name = 'RedisUnavailableError';
  }
}

/** The private redis-server did not come up (or another process already serves its socket). */
export class RedisStartError extends Error {
  constructor(message: string, readonly logTail: readonly string[] = []) {
    super(logTail.length > 0 ? `${message}\nlast redis-server output:\n  ${logTail.join('\n  ')}` : message);
    this.name = 'RedisStartError';
  }
}
