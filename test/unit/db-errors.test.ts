import { describe, expect, it } from 'vitest';
import { describeDbError, isTransientDbError, transientKind } from '../../db/errors.js';
import { retryTransient } from '../../db/retry.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('transient database errors', () => {
  it('recognises a lost or refused PostgreSQL connection', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08003', '08001', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
      expect(transientKind(withCode(code)), code).toBe('connection');
    }
    for (const message of ['Connection terminated unexpectedly', 'Connection terminated', 'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable', 'terminating connection due to administrator command']) {
      expect(transientKind(new Error(message)), message).toBe('connection');
    }
  });

  it('recognises a locked SQLite file and a lost serialisation race', () => {
    expect(transientKind(withCode('SQLITE_BUSY'))).toBe('busy');
    expect(transientKind(withCode('SQLITE_BUSY_SNAPSHOT'))).toBe('busy');
    expect(transientKind(withCode('SQLITE_LOCKED'))).toBe('busy');
    expect(transientKind(withCode('40001'))).toBe('conflict');
    expect(transientKind(withCode('40P01'))).toBe('conflict');
  });

  it('looks inside causes and aggregate errors (a refused connection to every address)', () => {
    expect(transientKind(new Error('migration failed', { cause: withCode('57P01') }))).toBe('connection');
    expect(transientKind(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect'))).toBe('connection');
  });

  it('leaves real errors alone: constraint violations, syntax, bugs', () => {
    for (const err of [withCode('23505', 'duplicate key'), withCode('42601', 'syntax error'), withCode('SQLITE_CONSTRAINT_UNIQUE'),
      withCode('3F000', 'schema does not exist'), new TypeError('x is undefined'), 'a string', undefined, null]) {
      expect(isTransientDbError(err)).toBe(false);
    }
  });

  it('describes an error with its code, shortly', () => {
    expect(describeDbError(withCode('57P01', 'terminating connection due to administrator command'))).toBe('57P01 terminating connection due to administrator command');
    expect(describeDbError(new Error('y'.repeat(500))).length).toBe(200);
  });
});

describe('retryTransient', () => {
  it('retries transient failures until the work succeeds', async () => {
    let calls = 0;
    const seen: number[] = [];
    const result = await retryTransient(async () => {
      calls += 1;
      if (calls < 4) throw withCode('57P01');
      return 'ok';
    }, { firstDelayMs: 1, maxDelayMs: 2, onRetry: (_e, attempt) => seen.push(attempt) });
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws a non-transient error at once', async () => {
    let calls = 0;
    await expect(retryTransient(async () => { calls += 1; throw withCode('23505', 'duplicate'); }, { firstDelayMs: 1 })).rejects.toThrow('duplicate');
    expect(calls).toBe(1);
  });

  it('gives up after its time and throws the last error', async () => {
    let calls = 0;
    await expect(retryTransient(async () => { calls += 1; throw withCode('ECONNREFUSED', `refused ${calls}`); }, { firstDelayMs: 5, maxDelayMs: 5, giveUpAfterMs: 1 }))
      .rejects.toThrow('refused 1');
    expect(calls).toBe(1);
  });

  it('stops waiting when aborted (a stopping process)', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = retryTransient(async () => {
      calls += 1;
      if (calls === 2) controller.abort();
      throw withCode('57P03', 'starting up');
    }, { firstDelayMs: 1, maxDelayMs: 1, signal: controller.signal });
    await expect(run).rejects.toThrow('starting up');
    expect(calls).toBe(2);
  });
});
