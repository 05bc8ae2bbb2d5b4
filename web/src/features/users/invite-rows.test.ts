import { describe, expect, it } from 'vitest';
import { parseInviteRows } from './invite-rows';

describe('parseInviteRows', () => {
  it('reads email and role per line', () => {
    const parsed = parseInviteRows('ana@example.test,User\nbo@example.test,TenantAdmin\n');

    expect(parsed).toEqual({
      isValid: true,
      rows: [
        { email: 'ana@example.test', role: 'User' },
        { email: 'bo@example.test', role: 'TenantAdmin' },
      ],
    });
  });

  it('defaults a missing role to User', () => {
    const parsed = parseInviteRows('ana@example.test\nbo@example.test,\n');

    expect(parsed.rows).toEqual([
      { email: 'ana@example.test', role: 'User' },
      { email: 'bo@example.test', role: 'User' },
    ]);
  });

  it('skips a header and blank lines', () => {
    const parsed = parseInviteRows('Email,Role\r\n\r\n ana@example.test , user \r\n\r\n');

    expect(parsed.rows).toEqual([{ email: 'ana@example.test', role: 'User' }]);
  });

  it('normalizes emails and role names', () => {
    const parsed = parseInviteRows(
      '"Ana@Example.TEST","tenantadmin"\nbo@example.test;Tenant admin\ncy@example.test\tUSER',
    );

    expect(parsed.rows).toEqual([
      { email: 'ana@example.test', role: 'TenantAdmin' },
      { email: 'bo@example.test', role: 'TenantAdmin' },
      { email: 'cy@example.test', role: 'User' },
    ]);
  });

  it('sends an unknown role as typed', () => {
    const parsed = parseInviteRows('ana@example.test,Owner\nnot-an-email');

    expect(parsed.isValid).toBe(true);
    expect(parsed.rows).toEqual([
      { email: 'ana@example.test', role: 'Owner' },
      { email: 'not-an-email', role: 'User' },
    ]);
  });

  it('rejects text without rows', () => {
    const parsed = parseInviteRows('email,role\n\n');

    expect(parsed.isValid).toBe(false);
    expect(parsed).toHaveProperty('message', 'Add at least one line with an email address.');
  });

  it('rejects more than 100 rows', () => {
    const text = Array.from({ length: 101 }, (_, index) => `u${index}@example.test`).join('\n');

    const parsed = parseInviteRows(text);

    expect(parsed.isValid).toBe(false);
    expect(parsed.rows).toHaveLength(101);
    expect(parsed).toHaveProperty(
      'message',
      'A bulk invitation takes at most 100 rows, and this has 101. Split it into several.',
    );
  });

  it('accepts exactly 100 rows', () => {
    const text = Array.from({ length: 100 }, (_, index) => `u${index}@example.test`).join('\n');

    expect(parseInviteRows(text).isValid).toBe(true);
  });
});
