import { describe, expect, it } from 'vitest';
import { MAX_CREDIT_AMOUNT, PLATFORM_TENANT_ID } from './constants';
import { newPlanId, newTenantId } from './ids';
import {
  createPlanSchema,
  createTenantSchema,
  creditAmountSchema,
  emailSchema,
  grantCreditsSchema,
  inviteUserSchema,
  listQuerySchema,
  moveCreditsSchema,
  tenantIdSchema,
} from './schemas';

/** Returns the messages of a failed parse, or an empty list when it passed. */
function issueMessages(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('emailSchema', () => {
  it('trims and lower-cases', () => {
    expect(emailSchema.parse('  New.User@X.com ')).toBe('new.user@x.com');
  });

  it('rejects invalid address', () => {
    const result = emailSchema.safeParse('new.user-at-x.com');

    expect(result.success).toBe(false);
    expect(issueMessages(result)).toEqual(['must be a valid email address']);
  });

  it('rejects address over 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(185)}.test`;

    const result = emailSchema.safeParse(email);

    expect(email.length).toBe(255);
    expect(issueMessages(result)).toContain('must be at most 254 characters');
  });

  it('rejects non-string', () => {
    expect(issueMessages(emailSchema.safeParse(42))).toEqual(['must be a string']);
  });
});

describe('creditAmountSchema', () => {
  it('accepts one', () => {
    expect(creditAmountSchema.parse(1)).toBe(1);
  });

  it('accepts 10^12', () => {
    expect(creditAmountSchema.parse(MAX_CREDIT_AMOUNT)).toBe(1_000_000_000_000);
  });

  it('rejects zero', () => {
    expect(issueMessages(creditAmountSchema.safeParse(0))).toEqual(['must be at least 1']);
  });

  it('rejects negative amount', () => {
    expect(creditAmountSchema.safeParse(-5).success).toBe(false);
  });

  it('rejects amount above 10^12', () => {
    const result = creditAmountSchema.safeParse(MAX_CREDIT_AMOUNT + 1);

    expect(issueMessages(result)).toEqual(['must be at most 1000000000000']);
  });

  it('rejects fraction', () => {
    expect(issueMessages(creditAmountSchema.safeParse(1.5))).toEqual(['must be an integer']);
  });

  it('rejects numeric string', () => {
    expect(issueMessages(creditAmountSchema.safeParse('5'))).toEqual(['must be a number']);
  });

  it('rejects non-finite numbers', () => {
    expect(creditAmountSchema.safeParse(Number.NaN).success).toBe(false);
    expect(creditAmountSchema.safeParse(Number.POSITIVE_INFINITY).success).toBe(false);
  });
});

describe('request bodies', () => {
  const tenantInput = {
    name: 'Acme',
    planId: newPlanId(),
    adminEmail: ' Owner@Acme.TEST ',
    creditLimit: 1_000,
  };

  it('createTenantSchema lower-cases admin email', () => {
    expect(createTenantSchema.parse(tenantInput).adminEmail).toBe('owner@acme.test');
  });

  it('createTenantSchema rejects unknown field', () => {
    const result = createTenantSchema.safeParse({ ...tenantInput, tenantId: newTenantId() });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(result.error?.issues[0]).toMatchObject({ keys: ['tenantId'] });
  });

  it('grantCreditsSchema rejects unknown field', () => {
    const result = grantCreditsSchema.safeParse({ amount: 5, reason: 'Top-up', tenantId: 'x' });

    expect(result.success).toBe(false);
  });

  it('grantCreditsSchema rejects blank reason', () => {
    const result = grantCreditsSchema.safeParse({ amount: 5, reason: '   ' });

    expect(issueMessages(result)).toEqual(['must not be empty']);
  });

  it('moveCreditsSchema rejects unknown operation', () => {
    const result = moveCreditsSchema.safeParse({ operation: 'transfer', amount: 5 });

    expect(issueMessages(result)).toEqual(['must be "allocate" or "reclaim"']);
  });

  it('moveCreditsSchema rejects fractional amount', () => {
    const result = moveCreditsSchema.safeParse({ operation: 'allocate', amount: 2.5 });

    expect(issueMessages(result)).toEqual(['must be an integer']);
  });

  it('inviteUserSchema rejects SuperAdmin role', () => {
    const result = inviteUserSchema.safeParse({ email: 'a@b.test', role: 'SuperAdmin' });

    expect(issueMessages(result)).toEqual(['must be "User" or "TenantAdmin"']);
  });

  it('inviteUserSchema rejects unknown field', () => {
    const result = inviteUserSchema.safeParse({
      email: 'a@b.test',
      role: 'User',
      status: 'ACTIVE',
    });

    expect(result.success).toBe(false);
  });

  it('createPlanSchema rejects empty model list', () => {
    const result = createPlanSchema.safeParse({
      name: 'Team',
      monthlyCredits: 0,
      seatLimit: 1,
      models: [],
      maxTokensPerRequest: 1,
      requestsPerMinute: 1,
      concurrentStreams: 1,
      allowOwnKey: false,
      ownKeyRatePercent: 0,
      ownKeyFallback: 'refuse',
    });

    expect(issueMessages(result)).toEqual(['must list at least one model']);
  });
});

describe('tenantIdSchema', () => {
  it('rejects platform tenant id', () => {
    expect(tenantIdSchema.safeParse(PLATFORM_TENANT_ID).success).toBe(false);
  });

  it('accepts generated tenant id', () => {
    const tenantId = newTenantId();

    expect(tenantIdSchema.parse(tenantId)).toBe(tenantId);
  });
});

describe('listQuerySchema', () => {
  it('coerces limit from query string', () => {
    expect(listQuerySchema.parse({ limit: '20' })).toEqual({ limit: 20 });
  });

  it('rejects limit above 100', () => {
    expect(issueMessages(listQuerySchema.safeParse({ limit: '101' }))).toEqual([
      'must be at most 100',
    ]);
  });

  it('rejects unknown query parameter', () => {
    expect(listQuerySchema.safeParse({ offset: '5' }).success).toBe(false);
  });
});
