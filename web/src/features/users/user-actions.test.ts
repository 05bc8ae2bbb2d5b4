import { describe, expect, it } from 'vitest';
import type { TenantUser } from '../../lib/api-client';
import { createTenantUser } from '../../test/factories';
import { availableUserActions, needsConfirmation } from './user-actions';

function member(fields: Partial<TenantUser>): TenantUser {
  return createTenantUser(fields);
}

describe('availableUserActions', () => {
  it.each([
    ['INVITED', 'User', ['resend', 'make-admin', 'disable', 'revoke']],
    ['ACTIVE', 'User', ['make-admin', 'reset-mfa', 'disable', 'delete']],
    ['ACTIVE', 'TenantAdmin', ['make-user', 'reset-mfa', 'disable', 'delete']],
    ['DISABLED', 'User', ['enable', 'make-admin', 'reset-mfa', 'delete']],
    ['DELETED', 'User', []],
  ] as const)('offers the actions of %s %s', (status, role, actions) => {
    expect(availableUserActions(member({ status, role }))).toEqual(actions);
  });
});

describe('needsConfirmation', () => {
  it('asks before removing anyone', () => {
    expect(needsConfirmation('delete', false)).toBe(true);
    expect(needsConfirmation('revoke', false)).toBe(true);
  });

  it('asks before admins lock themselves out', () => {
    expect(needsConfirmation('make-user', true)).toBe(true);
    expect(needsConfirmation('disable', true)).toBe(true);
  });

  it('runs changes to others at once', () => {
    expect(needsConfirmation('make-user', false)).toBe(false);
    expect(needsConfirmation('disable', false)).toBe(false);
    expect(needsConfirmation('resend', false)).toBe(false);
  });
});
