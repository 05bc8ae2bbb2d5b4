import { describe, expect, it } from 'vitest';
import {
  formatAuditAction,
  formatAuditDetails,
  platformAuditActions,
  tenantAuditActions,
} from './audit-actions';

describe('formatAuditAction', () => {
  it('labels a known action', () => {
    expect(formatAuditAction('user.revoke-invitation')).toBe('Invitation revoked');
  });

  it('shows an unknown action as its code', () => {
    expect(formatAuditAction('user.teleport')).toBe('user.teleport');
  });
});

describe('audit action lists', () => {
  it('leave platform actions out of the tenant list', () => {
    expect(platformAuditActions).toContain('plan.create');
    expect(tenantAuditActions).not.toContain('plan.create');
    expect(tenantAuditActions).not.toContain('price.update');
    expect(tenantAuditActions).toContain('user.invite');
  });
});

describe('formatAuditDetails', () => {
  it('names nested fields by path', () => {
    const text = formatAuditDetails({
      from: { role: 'User', status: 'ACTIVE' },
      to: { role: 'TenantAdmin', status: 'ACTIVE' },
    });

    expect(text).toBe(
      'from.role: User · from.status: ACTIVE · to.role: TenantAdmin · to.status: ACTIVE',
    );
  });

  it('joins arrays and shows numbers', () => {
    expect(formatAuditDetails({ models: ['gpt-4o', 'gpt-4o-mini'], returnedCredits: 250 })).toBe(
      'models: gpt-4o, gpt-4o-mini · returnedCredits: 250',
    );
  });

  it('returns nothing without details', () => {
    expect(formatAuditDetails(undefined)).toBe('');
  });
});
