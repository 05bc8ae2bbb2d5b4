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

/** Problems the message lists by line before it counts the rest. */
const MAX_LISTED_PROBLEMS = 5;

/**
 * A light check of an email's shape, as the browser's `type="email"` does. The API checks
 * each address in full.
 */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Parses CSV text with one `email,role` per line for `POST .../users/batch`. Blank lines
 * and a header line starting with `email` are skipped, fields may be quoted, a missing role
 * means `User`, and role names ignore case. Lines with a malformed email, an unknown role or
 * an email already listed make the text invalid, with a message naming each line, so no
 * invitation goes out until the list is right.
 */
export function parseInviteRows(text: string): ParsedInviteRows {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ number: index + 1, text: line.trim() }))
    .filter((line) => line.text !== '');
  if (lines.length > 0 && /^"?email"?\s*([,;\t]|$)/i.test(lines[0]?.text ?? '')) lines.shift();

  const rows = lines.map((line) => parseLine(line.text));
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
  const problems = findProblems(
    rows.map((row, index) => ({ ...row, lineNumber: lines[index]?.number ?? index + 1 })),
  );
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join(' ');
    const more = problems.length - MAX_LISTED_PROBLEMS;
    return {
      isValid: false,
      rows,
      message: `Fix these lines before sending. ${listed}${more > 0 ? ` And ${more} more.` : ''}`,
    };
  }
  return { isValid: true, rows };
}

function findProblems(rows: (BatchInviteRow & { lineNumber: number })[]): string[] {
  const problems: string[] = [];
  const firstLineByEmail = new Map<string, number>();
  for (const row of rows) {
    const line = `Line ${row.lineNumber}:`;
    if (!EMAIL_SHAPE.test(row.email)) {
      problems.push(`${line} "${row.email}" is not an email address.`);
    } else if (firstLineByEmail.has(row.email)) {
      problems.push(`${line} ${row.email} is already on line ${firstLineByEmail.get(row.email)}.`);
    } else {
      firstLineByEmail.set(row.email, row.lineNumber);
    }
    if (row.role !== 'User' && row.role !== 'TenantAdmin') {
      problems.push(`${line} the role "${row.role}" is not User or TenantAdmin.`);
    }
  }
  return problems;
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
