import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const OA = { ZALO_OA_APP_ID: '1234567890123456789', ZALO_OA_APP_SECRET: 'app-secret', ZALO_OA_SECRET_KEY: 'oa-secret' };

describe('Zalo OA configuration', () => {
  it('defaults: late events up to 24 h, the SDK\'s quote field, no domain verification', () => {
    const c = loadConfig(OA);
    expect(c.zaloOa).toMatchObject({ lateEventMaxAgeMs: 24 * 3_600_000, quoteField: 'react_message_id' });
    expect(c.zaloOa?.domainVerification).toBeUndefined();
  });

  it('ZALO_OA_QUOTE_FIELD takes another field name or none; ZALO_OA_LATE_EVENT_MAX_HOURS is in hours', () => {
    expect(loadConfig({ ...OA, ZALO_OA_QUOTE_FIELD: 'quote_message_id', ZALO_OA_LATE_EVENT_MAX_HOURS: '12' }).zaloOa)
      .toMatchObject({ quoteField: 'quote_message_id', lateEventMaxAgeMs: 12 * 3_600_000 });
    expect(loadConfig({ ...OA, ZALO_OA_QUOTE_FIELD: 'none' }).zaloOa?.quoteField).toBe('');
  });

  it.each([
    ['MeVd6DceSpupfjWIxOznI1I4v7FuyZOgD3Gp'],
    ['zalo_verifierMeVd6DceSpupfjWIxOznI1I4v7FuyZOgD3Gp.html'],
    ['<meta property="zalo-platform-site-verification" content="MeVd6DceSpupfjWIxOznI1I4v7FuyZOgD3Gp" />'],
  ])('ZALO_OA_DOMAIN_VERIFICATION accepts the code as pasted: %s', (value) => {
    expect(loadConfig({ ...OA, ZALO_OA_DOMAIN_VERIFICATION: value }).zaloOa?.domainVerification).toBe('MeVd6DceSpupfjWIxOznI1I4v7FuyZOgD3Gp');
  });

  it('refuses a bad quote field, a late-event limit out of range and an unusable verification code, listing each', () => {
    try {
      loadConfig({ ...OA, ZALO_OA_QUOTE_FIELD: 'quote-id!', ZALO_OA_LATE_EVENT_MAX_HOURS: '1000', ZALO_OA_DOMAIN_VERIFICATION: '<script>' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const keys = (err as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual(expect.arrayContaining(['ZALO_OA_QUOTE_FIELD', 'ZALO_OA_LATE_EVENT_MAX_HOURS', 'ZALO_OA_DOMAIN_VERIFICATION']));
    }
  });
});
