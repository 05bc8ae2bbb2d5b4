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

  it('names each line that cannot be sent', () => {
    const parsed = parseInviteRows(
      'email,role\nana@example.test,Owner\n\nnot-an-email\nbo@example.test\nANA@example.test',
    );

    expect(parsed.isValid).toBe(false);
    expect(parsed).toHaveProperty(
      'message',
      'Fix these lines before sending. Line 2: the role "Owner" is not User or TenantAdmin. ' +
        'Line 4: "not-an-email" is not an email address. ' +
        'Line 6: ana@example.test is already on line 2.',
    );
  });

  it('counts problems beyond the first five', () => {
    const text = Array.from({ length: 7 }, (_, index) => `bad-${index}`).join('\n');

    const parsed = parseInviteRows(text);

    expect(parsed).toHaveProperty('message', expect.stringMatching(/Line 5: .* And 2 more\.$/));
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
