import { PLATFORM_TENANT_ID } from '@creditgate/shared';

/**
 * Builds every key of the single table. Physical names are generic (`pk`, `sk`, `gsi1pk`,
 * `gsi1sk`); values carry a label and a prefix. Tenant-owned items live under
 * `TENANT#<tenantId>`, and every tenant-scoped read names that exact partition key.
 *
 * Access patterns:
 * - plans, prices: `PLATFORM` partition;
 * - tenant record and its users, holds, ledger entries: `TENANT#<tenantId>` partition;
 * - all tenants, newest first: gsi1 `TENANTS`;
 * - one user's ledger: gsi1 `TENANT#<tenantId>#USER#<userId>#LEDGER`;
 * - email uniqueness across tenants: `EMAIL#<email>` claim items;
 * - expired holds for the sweeper: gsi1 `HOLDS#<shard>`, sharded so calls never share a
 *   GSI partition key;
 * - monthly plan credits: `MONTHLY_GRANT#<yyyy-mm>` items in the tenant partition, one per
 *   month;
 * - a tenant's audit log: `AUDIT#<auditId>` items in its partition; the platform-wide log:
 *   gsi1 `AUDIT`;
 * - idempotency records: `IDEMPOTENCY#<operation>#<callerId>#<key hash>`, expiring by TTL;
 * - personal API tokens: `APITOKEN#<userId>#<tokenId>` items in the tenant partition;
 * - credit requests: `CREDITREQ#<requestId>` items in the tenant partition, newest first by
 *   their ULID; one user's: gsi1 `TENANT#<tenantId>#USER#<userId>#CREDITREQ`;
 * - low-balance alerts sent: `LOW_BALANCE#<yyyy-mm>#<subject>#<threshold>` items, one per
 *   threshold, subject and month, expiring by TTL;
 * - platform key rotation: the `PLATFORM_KEY` state item, and one
 *   `PLATFORM_KEY_ACCOUNT#<versionId>#<serviceAccountId>` item per minted key in the
 *   `PLATFORM` partition.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

const PLATFORM_PARTITION = 'PLATFORM';

/** Number of `HOLDS#<shard>` partitions of the open-hold index; shards are `0` to `15`. */
export const HOLD_SHARDS = 16;

/** Digits of `holdExpiresAt` (epoch ms) in the hold index sort key, zero-padded to sort as text. */
const EXPIRY_DIGITS = 13;

export const tenantPartition = (tenantId: string): string => `TENANT#${tenantId}`;

export const keys = {
  plan: (planId: string): ItemKey => ({ pk: PLATFORM_PARTITION, sk: `PLAN#${planId}` }),
  planPrefix: { pk: PLATFORM_PARTITION, skPrefix: 'PLAN#' },
  prices: (): ItemKey => ({ pk: PLATFORM_PARTITION, sk: 'PRICES' }),
  /** Rotation state of the platform key: the current version, last rotation and last failure. */
  platformKeyState: (): ItemKey => ({ pk: PLATFORM_PARTITION, sk: 'PLATFORM_KEY' }),
  /**
   * A service account minted for a version of the platform key secret. Sorting by version
   * first lets one query find the accounts of a version.
   */
  platformKeyAccount: (versionId: string, serviceAccountId: string): ItemKey => ({
    pk: PLATFORM_PARTITION,
    sk: `PLATFORM_KEY_ACCOUNT#${versionId}#${serviceAccountId}`,
  }),
  platformKeyAccountPrefix: (versionId?: string): string =>
    versionId === undefined ? 'PLATFORM_KEY_ACCOUNT#' : `PLATFORM_KEY_ACCOUNT#${versionId}#`,
  platformPartition: PLATFORM_PARTITION,
  tenant: (tenantId: string): ItemKey => ({ pk: tenantPartition(tenantId), sk: 'TENANT' }),
  tenantIndex: (tenantId: string) => ({ gsi1pk: 'TENANTS', gsi1sk: `TENANT#${tenantId}` }),
  user: (tenantId: string, userId: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `USER#${userId}`,
  }),
  userPrefix: 'USER#',
  emailClaim: (email: string): ItemKey => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' }),
  hold: (tenantId: string, requestId: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `HOLD#${requestId}`,
  }),
  holdIndex: (
    tenantId: string,
    requestId: string,
    holdExpiresAt: number,
  ): { gsi1pk: string; gsi1sk: string } => ({
    gsi1pk: keys.holdIndexPartition(shardOf(requestId)),
    gsi1sk: `${keys.holdExpiryPrefix(holdExpiresAt)}#${tenantId}#${requestId}`,
  }),
  holdIndexPartition: (shard: number): string => `HOLDS#${shard}`,
  /**
   * The zero-padded expiry that starts a hold index sort key. Every hold that expired before
   * `epochMs` sorts below `holdExpiryPrefix(epochMs)`.
   */
  holdExpiryPrefix: (epochMs: number): string => String(epochMs).padStart(EXPIRY_DIGITS, '0'),
  /** Record of one month's plan credits for a tenant; its existence makes the grant once-only. */
  monthlyGrant: (tenantId: string, month: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `MONTHLY_GRANT#${month}`,
  }),
  /**
   * Ledger entries sort by their id, a ULID, so newest first is a reverse query. The
   * entries of one AI call share its request id's ULID and differ by the sequence suffix.
   */
  ledgerEntry: (tenantId: string, entryId: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `LEDGER#${entryId}`,
  }),
  ledgerPrefix: 'LEDGER#',
  userLedgerIndex: (tenantId: string, userId: string, entryId: string) => ({
    gsi1pk: `${tenantPartition(tenantId)}#USER#${userId}#LEDGER`,
    gsi1sk: `LEDGER#${entryId}`,
  }),
  userLedgerPartition: (tenantId: string, userId: string): string =>
    `${tenantPartition(tenantId)}#USER#${userId}#LEDGER`,
  platformUser: (userId: string): ItemKey => keys.user(PLATFORM_TENANT_ID, userId),
  auditEntry: (tenantId: string, auditId: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `AUDIT#${auditId}`,
  }),
  auditPrefix: 'AUDIT#',
  /**
   * All audit entries also sit in one gsi1 partition for the SuperAdmins' log. Only
   * administrative actions write it, at human rates, far below a partition's limits.
   */
  auditIndex: (auditId: string) => ({ gsi1pk: 'AUDIT', gsi1sk: `AUDIT#${auditId}` }),
  auditIndexPartition: 'AUDIT',
  /** Usage of one user and model on one UTC day (`yyyy-mm-dd`); days sort as text. */
  dailyUsage: (tenantId: string, day: string, userId: string, model: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `USAGE#${day}#${userId}#${model}`,
  }),
  dailyUsagePrefix: 'USAGE#',
  /** One counter per user and UTC minute (epoch minutes) for the per-minute request limit. */
  rateCounter: (tenantId: string, userId: string, minute: number): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `RATE#${userId}#${minute}`,
  }),
  /** A user's personal API tokens sort by token id (a ULID), so newest first is a reverse query. */
  apiToken: (tenantId: string, userId: string, tokenId: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `APITOKEN#${userId}#${tokenId}`,
  }),
  apiTokenPrefix: (userId: string): string => `APITOKEN#${userId}#`,
  creditRequest: (tenantId: string, creditRequestId: string): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `CREDITREQ#${creditRequestId}`,
  }),
  creditRequestPrefix: 'CREDITREQ#',
  userCreditRequestIndex: (tenantId: string, userId: string, creditRequestId: string) => ({
    gsi1pk: keys.userCreditRequestPartition(tenantId, userId),
    gsi1sk: `CREDITREQ#${creditRequestId}`,
  }),
  userCreditRequestPartition: (tenantId: string, userId: string): string =>
    `${tenantPartition(tenantId)}#USER#${userId}#CREDITREQ`,
  /**
   * The record that a low-balance email went out: one per UTC month (`yyyy-mm`), subject
   * (`POOL` or `USER#<userId>`) and threshold, so a balance below it emails once a month.
   */
  lowBalanceAlert: (
    tenantId: string,
    month: string,
    subject: string,
    threshold: number,
  ): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `LOW_BALANCE#${month}#${subject}#${threshold}`,
  }),
  /** One idempotency record per operation, caller and key; the key is stored hashed. */
  idempotency: (
    tenantId: string,
    operation: string,
    callerId: string,
    keyHash: string,
  ): ItemKey => ({
    pk: tenantPartition(tenantId),
    sk: `IDEMPOTENCY#${operation}#${callerId}#${keyHash}`,
  }),
};

function shardOf(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (hash * 31 + value.charCodeAt(i)) >>> 0;
  return hash % HOLD_SHARDS;
}
