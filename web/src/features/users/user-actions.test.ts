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
    const activatedAt = status === 'INVITED' ? null : '2026-12-04T11:00:00.000Z';
    expect(availableUserActions(member({ status, role, activatedAt }))).toEqual(actions);
  });

  it('offers no reset before the first sign-in', () => {
    const neverSignedIn = member({ status: 'DISABLED', activatedAt: null });

    expect(availableUserActions(neverSignedIn)).toEqual(['enable', 'make-admin', 'delete']);
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
