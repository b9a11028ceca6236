import { describe, expect, it } from 'vitest';
import { createLogger, createScrubber } from '../../src/logger.js';

describe('log scrubbing', () => {
  it('removes configured secrets and Vietnamese phone numbers from any text', () => {
    const scrub = createScrubber(['123456:SECRETtoken']);
    const out = scrub('GET /bot123456:SECRETtoken/getMe failed; call 0912 345 678 or +84912345678');
    expect(out).not.toContain('SECRETtoken');
    expect(out).not.toMatch(/0912|84912345678/);
  });

  it('leaves update ids and timestamps alone', () => {
    expect(createScrubber([])('update 500000123 at 2026-11-22T03:00:00.000Z')).toBe('update 500000123 at 2026-11-22T03:00:00.000Z');
  });

  it('redacts phone and token fields and scrubs secrets inside error messages of real log lines', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: ['987:TOPSECRET'], destination: { write: (l: string) => { lines.push(l); } } });
    logger.info({ person: { phone: '0901234567' }, token: 'abc' }, 'hello');
    logger.error({ err: new Error('request to https://api.telegram.org/bot987:TOPSECRET/sendMessage failed') }, 'send failed');
    const text = lines.join('');
    expect(text).not.toContain('0901234567');
    expect(text).not.toContain('TOPSECRET');
    expect(text).toContain('send failed');
    expect(lines).toHaveLength(2);
  });
});
