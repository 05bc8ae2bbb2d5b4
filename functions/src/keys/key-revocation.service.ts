import { PLATFORM_TENANT_ID } from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { logger } from '../lib/logger';
import { deleteServiceAccount } from './openai-keys.client';
import { AWSCURRENT, AWSPENDING, type KeyAccountRecord } from './platform-key.model';
import { getPlatformSecretId, listVersions, readAdminKey } from './platform-key-secret.repository';
import {
  getKeyState,
  listUnrevokedKeyAccounts,
  markKeyAccountRevoked,
  recordFailure,
} from './platform-key-state.repository';
import { logRotationFailure } from './rotation-metrics';

/** Reason a minted key is revoked, as its audit entry records it. */
export type RevocationReason = 'replaced' | 'rotation-failed' | 'not-stored';

/**
 * Revokes a minted key by deleting its service account, then marks the account revoked with
 * an audit entry. An account that no longer exists upstream counts as revoked. Returns false
 * when another run marked it first.
 */
export async function revokeKeyAccount(input: {
  account: KeyAccountRecord;
  adminKey: string;
  actor: Actor;
  reason: RevocationReason;
}): Promise<boolean> {
  const { account } = input;
  const outcome = await deleteServiceAccount({
    adminKey: input.adminKey,
    projectId: account.projectId,
    serviceAccountId: account.serviceAccountId,
  });
  const isMarked = await markKeyAccountRevoked({
    account,
    revokedAt: new Date().toISOString(),
    audit: newAuditEntry({
      actor: input.actor,
      tenantId: PLATFORM_TENANT_ID,
      action: 'key.rotate',
      targetType: 'key',
      targetId: 'platform',
      details: {
        phase: 'key-revoked',
        reason: input.reason,
        versionId: account.versionId,
        serviceAccountId: account.serviceAccountId,
      },
    }),
  });
  logger.info('Minted platform key revoked', {
    version_id: account.versionId,
    service_account_id: account.serviceAccountId,
    reason: input.reason,
    upstream_outcome: outcome,
    is_newly_marked: isMarked,
  });
  return isMarked;
}

/** Counts of one run of the job that revokes replaced platform keys. */
export interface RevocationResult {
  /** Minted keys that are neither current nor in a rotation and are not revoked yet. */
  candidates: number;
  revoked: number;
  /** Keys another run marked revoked first. */
  alreadyRevoked: number;
  failed: number;
  /** While the grace period runs: when it ends (ISO 8601); nothing is revoked before. */
  graceEndsAt?: string;
}

/**
 * Revokes every minted platform key that is no longer in use once the grace period after
 * the last rotation has passed: the `AWSPREVIOUS` version's key, and keys of older or
 * abandoned versions that were not revoked yet. Keys that were not minted through the Admin
 * API (submitted ones, or the first key an operator stored) are left to their owner.
 */
export async function revokeReplacedKeys(input: {
  now: number;
  graceMinutes: number;
  actor: Actor;
}): Promise<RevocationResult> {
  // Accounts first, then versions: a rotation that records a new account after this query
  // put its version under AWSPENDING before, so the version list below shows it in use.
  const accounts = await listUnrevokedKeyAccounts();
  const versions = await listVersions(getPlatformSecretId());
  const current = versions.find((version) => version.stages.includes(AWSCURRENT));
  const inUse = new Set(
    versions
      .filter(
        (version) => version.stages.includes(AWSCURRENT) || version.stages.includes(AWSPENDING),
      )
      .map((version) => version.versionId),
  );
  const candidates = accounts.filter((account) => !inUse.has(account.versionId));
  const result: RevocationResult = {
    candidates: candidates.length,
    revoked: 0,
    alreadyRevoked: 0,
    failed: 0,
  };
  if (candidates.length === 0) return result;
  if (current === undefined) {
    logger.warn('The platform key secret has no AWSCURRENT version; revoking nothing');
    return result;
  }

  const replacedAt = await findReplacementTime(current);
  const graceEndsAt = replacedAt + input.graceMinutes * 60_000;
  if (input.now < graceEndsAt) {
    return { ...result, graceEndsAt: new Date(graceEndsAt).toISOString() };
  }

  const adminKey = await readAdminKey();
  let lastError: Error | undefined;
  for (const account of candidates) {
    try {
      const isMarked = await revokeKeyAccount({
        account,
        adminKey,
        actor: input.actor,
        reason: 'replaced',
      });
      if (isMarked) result.revoked++;
      else result.alreadyRevoked++;
    } catch (error) {
      result.failed++;
      lastError = error as Error;
      logger.error('Revoking a replaced platform key failed', {
        version_id: account.versionId,
        service_account_id: account.serviceAccountId,
        error: lastError,
      });
    }
  }
  if (lastError !== undefined) await recordRevocationFailure(lastError, result.failed, input.actor);
  return result;
}

/**
 * Returns when the current version became current (epoch ms): the rotation's own record
 * when it names this version, else the version's creation time, which is when a value that
 * an operator stored directly became current.
 */
async function findReplacementTime(current: { versionId: string; createdAt: string | null }) {
  const state = await getKeyState();
  if (state.currentVersionId === current.versionId && state.lastRotatedAt) {
    return Date.parse(state.lastRotatedAt);
  }
  return current.createdAt ? Date.parse(current.createdAt) : Date.now();
}

async function recordRevocationFailure(error: Error, failed: number, actor: Actor) {
  const failure = {
    at: new Date().toISOString(),
    step: 'revokePreviousKey' as const,
    message:
      error.name === 'UpstreamKeyError'
        ? `${failed} replaced key(s) could not be revoked: ${error.message}`
        : `${failed} replaced key(s) could not be revoked (${error.name}); see the job's log`,
  };
  logRotationFailure(failure, {});
  try {
    await recordFailure({
      failure,
      audit: newAuditEntry({
        actor,
        tenantId: PLATFORM_TENANT_ID,
        action: 'key.rotate',
        targetType: 'key',
        targetId: 'platform',
        details: { phase: 'failed', step: failure.step, message: failure.message },
      }),
    });
  } catch (recordError) {
    logger.error('Recording the revocation failure failed', { error: recordError as Error });
  }
}
