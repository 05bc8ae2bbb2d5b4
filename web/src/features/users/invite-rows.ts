import { MAX_BATCH_INVITES } from '@creditgate/shared';
import type { BatchInviteRow } from '../../lib/api-client';
import { normalizeEmail } from '../auth/cognito-client';

/** The rows of a bulk invitation, or why the text cannot be sent. */
export type ParsedInviteRows =
  | { isValid: true; rows: BatchInviteRow[] }
  | { isValid: false; rows: BatchInviteRow[]; message: string };

/** Role names accepted in a row, lower-cased, including the labels the screens show. */
const roleAliases: Record<string, string> = {
  user: 'User',
  tenantadmin: 'TenantAdmin',
  'tenant admin': 'TenantAdmin',
};

/**
 * Parses CSV text with one `email,role` per line for `POST .../users/batch`. Blank lines
 * and a header line starting with `email` are skipped, fields may be quoted, a missing role
 * means `User`, and role names ignore case. An unknown role is sent as typed, so that the
 * API reports the row as `invalid` while the other rows go ahead.
 */
export function parseInviteRows(text: string): ParsedInviteRows {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length > 0 && /^"?email"?\s*([,;\t]|$)/i.test(lines[0] ?? '')) lines.shift();

  const rows = lines.map(parseLine);
  if (rows.length === 0) {
    return { isValid: false, rows, message: 'Add at least one line with an email address.' };
  }
  if (rows.length > MAX_BATCH_INVITES) {
    return {
      isValid: false,
      rows,
      message: `A bulk invitation takes at most ${MAX_BATCH_INVITES} rows, and this has ${rows.length}. Split it into several.`,
    };
  }
  return { isValid: true, rows };
}

function parseLine(line: string): BatchInviteRow {
  // Spreadsheets save CSV with commas, or with semicolons in locales that use a decimal comma.
  const [email = '', role = ''] = line.split(/[,;\t]/).map(unquote);
  const typedRole = role.trim();
  return {
    email: normalizeEmail(email),
    role: typedRole === '' ? 'User' : (roleAliases[typedRole.toLowerCase()] ?? typedRole),
  };
}

function unquote(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).replaceAll('""', '"')
    : trimmed;
}
