import { describe, expect, it } from 'vitest';
import { formatAudience, parseAudience, subtreeIds } from '../../flows/notices/audience.js';
import { createRateLimiter } from '../fakes/telegram-bot-api.js';

describe('notice audiences', () => {
  it('parses all, organisation lists, tags and both', () => {
    expect(parseAudience('all')).toEqual({ all: true });
    expect(parseAudience('org:hue')).toEqual({ orgCodes: ['HUE'] });
    expect(parseAudience('org:P-KIMLONG, P-VYDA')).toEqual({ orgCodes: ['P-KIMLONG', 'P-VYDA'] });
    expect(parseAudience('org:HUE;tag:y-te,giao-duc')).toEqual({ orgCodes: ['HUE'], tags: ['y-te', 'giao-duc'] });
    expect(formatAudience({ orgCodes: ['HUE'], tags: ['y-te'] })).toBe('org:HUE;tag:y-te');
  });

  it('refuses what it does not understand', () => {
    for (const bad of ['', 'everyone', 'org:', 'org:A;B', 'tag:a b;c', 'org:<script>']) expect(parseAudience(bad), bad).toBeUndefined();
  });

  it('takes each organisation with everything below it', () => {
    const orgs = [{ id: 1, code: 'P', parent_id: null }, { id: 2, code: 'C1', parent_id: 1 }, { id: 3, code: 'C2', parent_id: 1 }, { id: 4, code: 'Q', parent_id: null }, { id: 5, code: 'V', parent_id: 2 }];
    expect([...subtreeIds(orgs, [1])].sort()).toEqual([1, 2, 3, 5]);
    expect([...subtreeIds(orgs, [3, 4])].sort()).toEqual([3, 4]);
  });
});

describe('the fake Bot API rate limiter', () => {
  it('refuses the 31st send in a rolling second and the second send to one chat, with retry_after', () => {
    const limiter = createRateLimiter({ overallPerSecond: 30, perChatPerSecond: 1 });
    const at = (ms: number) => new Date(1_000_000 + ms);
    for (let i = 0; i < 30; i += 1) expect(limiter.interceptor({ method: 'sendMessage', params: {}, chatId: i, at: at(i) })).toBeUndefined();
    expect(limiter.interceptor({ method: 'sendMessage', params: {}, chatId: 99, at: at(40) })).toMatchObject({ error_code: 429, retry_after: 1 });
    expect(limiter.interceptor({ method: 'sendMessage', params: {}, chatId: 99, at: at(1001) })).toBeUndefined();
    expect(limiter.interceptor({ method: 'sendMessage', params: {}, chatId: 99, at: at(1500) })).toMatchObject({ error_code: 429 });
    expect(limiter.interceptor({ method: 'getUpdates', params: {}, at: at(1500) })).toBeUndefined();
    expect(limiter.refused).toBe(2);
    expect(limiter.peakPerSecond).toBe(30);
  });
});
