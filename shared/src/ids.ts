import { ulid } from './ulid';

/**
 * Server-generated ids: a type prefix and a ULID (26 Crockford base-32 characters), so ids
 * sort by creation time and an id of one kind never passes as another. User ids are
 * Cognito `sub` values (UUIDs).
 */
const ULID_PATTERN = '[0-9A-HJKMNP-TV-Z]{26}';

export const idPatterns = {
  tenantId: new RegExp(`^tnt_${ULID_PATTERN}$`),
  planId: new RegExp(`^pln_${ULID_PATTERN}$`),
  requestId: new RegExp(`^req_${ULID_PATTERN}$`),
  creditRequestId: new RegExp(`^crq_${ULID_PATTERN}$`),
  userId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
} as const;

export type IdKind = keyof typeof idPatterns;

export const newTenantId = (): string => `tnt_${ulid()}`;
export const newPlanId = (): string => `pln_${ulid()}`;
export const newRequestId = (): string => `req_${ulid()}`;
export const newCreditRequestId = (): string => `crq_${ulid()}`;

/** Returns true when `value` is a well-formed id of the given kind. */
export function isValidId(kind: IdKind, value: string): boolean {
  return value.length <= 64 && idPatterns[kind].test(value);
}
