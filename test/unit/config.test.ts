import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.telegram).toBeUndefined();
    expect(c).toMatchObject({ databaseUrl: 'data/liaison.sqlite', http: { host: '127.0.0.1', port: 8080 }, defaultLocale: 'vi', queuePrefix: 'liaison', loadSampleIfEmpty: true });
    expect(c.redisUrl).toBeUndefined();
    expect(c.lowMemory).toBe(true);
  });

  it('sizes the PostgreSQL pool from DATABASE_POOL_SIZE (default 20), refusing sizes a process cannot run on', () => {
    expect(loadConfig({}).databasePoolSize).toBe(20);
    expect(loadConfig({ DATABASE_POOL_SIZE: '8' }).databasePoolSize).toBe(8);
    for (const bad of ['1', '0', 'many', '501']) {
      expect(() => loadConfig({ DATABASE_POOL_SIZE: bad })).toThrow(ConfigError);
    }
  });

  it('lets V8 favour speed over memory only when LOW_MEMORY is false', () => {
    expect(loadConfig({ LOW_MEMORY: 'false' }).lowMemory).toBe(false);
    expect(loadConfig({ LOW_MEMORY: 'true' }).lowMemory).toBe(true);
    expect(() => loadConfig({ LOW_MEMORY: 'sometimes' })).toThrow(ConfigError);
  });

  it('builds the Telegram settings and remembers secrets for the log scrubber', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9999/', REDIS_URL: 'redis://:s3cr3tpass@localhost:6379' });
    expect(c.telegram).toMatchObject({ token: TOKEN, apiRoot: 'http://127.0.0.1:9999', mode: 'polling' });
    expect(c.secrets).toEqual(expect.arrayContaining([TOKEN, 's3cr3tpass']));
  });

  it('lists every bad key at once, including rules between keys', () => {
    try {
      loadConfig({ TELEGRAM_BOT_TOKEN: 'nope', HTTP_PORT: '99999', DEFAULT_LOCALE: 'fr', TELEGRAM_MODE: 'webhook', REDIS_URL: 'http://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const keys = (err as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual(expect.arrayContaining(['TELEGRAM_BOT_TOKEN', 'HTTP_PORT', 'DEFAULT_LOCALE', 'REDIS_URL', 'TELEGRAM_WEBHOOK_SECRET', 'PUBLIC_URL']));
    }
  });

  it('treats blank values as unset and returns a frozen object', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '  ', HTTP_PORT: '' });
    expect(c.telegram).toBeUndefined();
    expect(c.http.port).toBe(8080);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
  });
});
