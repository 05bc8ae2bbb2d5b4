/** Roles, statuses and limits that the API, the SPA and the infrastructure share. */

export const roles = ['SuperAdmin', 'TenantAdmin', 'User'] as const;
export type Role = (typeof roles)[number];

/** Roles a TenantAdmin may give to members of the tenant. */
export const tenantRoles = ['TenantAdmin', 'User'] as const;
export type TenantRole = (typeof tenantRoles)[number];

/** The reserved tenant id of SuperAdmins. Customer tenant ids never match it (see `ids.ts`). */
export const PLATFORM_TENANT_ID = 'platform';

export const tenantStatuses = ['ACTIVE', 'SUSPENDED'] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

export const userStatuses = ['INVITED', 'ACTIVE', 'DISABLED', 'DELETED'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Users in these states may call AI models (if their tenant is active). */
export const callableUserStatuses: readonly UserStatus[] = ['INVITED', 'ACTIVE'];

/** Inclusive bounds of one credit amount in any request. */
export const MIN_CREDIT_AMOUNT = 1;
export const MAX_CREDIT_AMOUNT = 1_000_000_000_000;

/** Cognito custom attribute names as they appear in ID token claims. */
export const TENANT_ID_CLAIM = 'custom:tenantId';
export const ROLE_CLAIM = 'custom:role';

/** Product name used in emails and the SPA. */
export const PRODUCT_NAME = 'Creditgate';
