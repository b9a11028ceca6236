import { describe, expect, it } from 'vitest';
import { later } from '../../src/later.js';

describe('later (start-up wiring)', () => {
  it('is empty until set, then gives the value; reading too early names what is missing', () => {
    const slot = later<number>('the outbox');
    expect(slot.peek()).toBeUndefined();
    expect(() => slot.get()).toThrow('the outbox used before start-up finished');
    slot.set(7);
    expect(slot.peek()).toBe(7);
    expect(slot.get()).toBe(7);
  });

  it('is wired once', () => {
    const slot = later<string>('web files');
    slot.set('a');
    expect(() => slot.set('b')).toThrow('web files is already wired');
    expect(slot.get()).toBe('a');
  });
});
