import { describe, expect, it } from 'vitest';
import { computeBackoffMs } from '../../src/delivery/backoff.js';
import { createDefaultErrorScrubber, describeError } from '../../src/delivery/error-text.js';
import { TransientError } from '../../adapters/types.js';

const exact = { baseMs: 1000, maxMs: 300_000, jitter: 0 };

describe('outbox backoff', () => {
  it('doubles from the base per attempt', () => {
    expect([1, 2, 3, 4].map((a) => computeBackoffMs(a, exact))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('is capped at maxMs, even for absurd attempt counts', () => {
    expect(computeBackoffMs(12, { ...exact, maxMs: 5000 })).toBe(5000);
    expect(computeBackoffMs(10_000, exact)).toBe(300_000);
  });

  it("honours the platform's retry hint when it is longer, even past the cap", () => {
    expect(computeBackoffMs(1, exact, 7000)).toBe(7000);
    expect(computeBackoffMs(5, exact, 100)).toBe(16_000);
    expect(computeBackoffMs(1, { ...exact, maxMs: 2000 }, 60_000)).toBe(60_000);
  });

  it('spreads delays by the jitter fraction around the nominal value', () => {
    const options = { baseMs: 1000, maxMs: 300_000, jitter: 0.2 };
    expect(computeBackoffMs(2, { ...options, random: () => 0 })).toBe(1800);
    expect(computeBackoffMs(2, { ...options, random: () => 0.999999 })).toBe(2200);
    expect(computeBackoffMs(2, { ...options, maxMs: 2000, random: () => 0.999999 })).toBe(2000);
  });
});

describe('outbox error text', () => {
  const scrub = createDefaultErrorScrubber();

  it('keeps the code and message, without tokens, credentials or phone numbers', () => {
    const err = new TransientError('POST https://api.telegram.org/bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345/sendMessage failed for 0912 345 678');
    const text = describeError(err, scrub);
    expect(text).toMatch(/^transient: POST https:\/\/api\.telegram\.org\/bot\*\*\*\/sendMessage failed for/);
    expect(text).not.toContain('ABCdef');
    expect(text).not.toContain('345 678');
    expect(describeError(new Error('connect redis://u:pw@host'), scrub)).toBe('Error: connect redis://***@host');
  });

  it('is short', () => {
    expect(describeError(new Error('x'.repeat(5000)), scrub).length).toBeLessThanOrEqual(300);
  });
});
