import { describe, expect, it } from 'vitest';
import { PLATFORM_TENANT_ID } from './constants';
import { idPatterns, isValidId, newPlanId, newRequestId, newTenantId } from './ids';
import { ulid } from './ulid';

describe('ids', () => {
  it('newTenantId builds a valid tenant id', () => {
    const tenantId = newTenantId();

    expect(tenantId).toMatch(/^tnt_/);
    expect(isValidId('tenantId', tenantId)).toBe(true);
  });

  it('newPlanId builds a valid plan id', () => {
    expect(isValidId('planId', newPlanId())).toBe(true);
  });

  it('newRequestId builds a valid request id', () => {
    expect(isValidId('requestId', newRequestId())).toBe(true);
  });

  it('new ids differ', () => {
    const tenantIds = new Set(Array.from({ length: 100 }, () => newTenantId()));

    expect(tenantIds.size).toBe(100);
  });

  it('isValidId rejects id of another kind', () => {
    expect(isValidId('tenantId', newPlanId())).toBe(false);
    expect(isValidId('planId', newTenantId())).toBe(false);
  });

  it('isValidId rejects platform tenant id', () => {
    expect(isValidId('tenantId', PLATFORM_TENANT_ID)).toBe(false);
  });

  it('isValidId rejects lower-case ulid', () => {
    const tenantId = `tnt_${ulid().toLowerCase()}`;

    expect(isValidId('tenantId', tenantId)).toBe(false);
  });

  it('isValidId rejects letters outside crockford', () => {
    const base = ulid();

    for (const letter of ['I', 'L', 'O', 'U']) {
      expect(isValidId('tenantId', `tnt_${base.slice(0, 25)}${letter}`)).toBe(false);
    }
  });

  it('isValidId rejects wrong length', () => {
    const base = ulid();

    expect(isValidId('tenantId', `tnt_${base.slice(0, 25)}`)).toBe(false);
    expect(isValidId('tenantId', `tnt_${base}0`)).toBe(false);
  });

  it('isValidId accepts lower-case uuid user id', () => {
    const userId = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';

    expect(isValidId('userId', userId)).toBe(true);
    expect(isValidId('userId', userId.toUpperCase())).toBe(false);
  });

  it('patterns anchor both ends', () => {
    const tenantId = newTenantId();

    expect(idPatterns.tenantId.test(` ${tenantId}`)).toBe(false);
    expect(idPatterns.tenantId.test(`${tenantId}\n`)).toBe(false);
  });
});

describe('ulid', () => {
  it('encodes time like the ulid spec', () => {
    // The ULID specification's example: 1469918176385 ms encodes as 01ARYZ6S41.
    expect(ulid(1469918176385).slice(0, 10)).toBe('01ARYZ6S41');
  });

  it('sorts by creation time', () => {
    const earlier = ulid(1_700_000_000_000);
    const later = ulid(1_700_000_000_001);

    expect(earlier < later).toBe(true);
  });

  it('uses crockford base 32 only', () => {
    const values = Array.from({ length: 50 }, () => ulid());

    for (const value of values) expect(value).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
