import { randomUUID } from 'node:crypto';
import { AppError, PLATFORM_TENANT_ID, type PlatformKeyView } from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { logger } from '../lib/logger';
import {
  AWSCURRENT,
  findVersionWithStage,
  isRotationInProgress,
  type SecretDescription,
  SUBMITTED_STAGE,
  type SubmittedKeyValue,
} from './platform-key.model';
import {
  describeSecret,
  getPlatformSecretId,
  putVersionValue,
  removeStage,
  rotateSecret,
} from './platform-key-secret.repository';
import { appendKeyAudit, getKeyState, hasRevokedKeyAccount } from './platform-key-state.repository';

/**
 * The SuperAdmins' platform key actions: its status, "Rotate now" and submitting a key. None
 * of them reads a key value, so the API functions need no read access to the key.
 */

/** A started rotation: its ClientRequestToken, which becomes the new version's id. */
export interface StartedRotation {
  versionId: string;
}

/** Describes the platform key and its rotation from metadata and the rotation state. */
export async function getPlatformKeyStatus(): Promise<PlatformKeyView> {
  const [description, state] = await Promise.all([
    describeSecret(getPlatformSecretId()),
    getKeyState(),
  ]);
  const currentVersionId = findVersionWithStage(description, AWSCURRENT);
  const isRevoked =
    currentVersionId !== undefined && (await hasRevokedKeyAccount(currentVersionId));
  const isActive = !description.isDeleted && currentVersionId !== undefined && !isRevoked;
  const failure = state.lastFailure;
  return {
    status: isActive ? 'Active' : 'Inactive',
    source: 'platform',
    lastRotatedAt: state.lastRotatedAt ?? description.lastRotatedAt,
    nextRotationAt: description.isRotationEnabled ? description.nextRotationAt : null,
    rotationEnabled: description.isRotationEnabled,
    lastFailure: failure ? { at: failure.at, step: failure.step, message: failure.message } : null,
  };
}

/**
 * "Rotate now": starts a rotation that mints a new key. Throws 409 `CONFLICT` while another
 * rotation runs or when the secret cannot rotate.
 */
export async function startPlatformKeyRotation(options: {
  actor: Actor;
}): Promise<StartedRotation> {
  const secretId = getPlatformSecretId();
  checkCanRotate(await describeSecret(secretId));
  const versionId = randomUUID();

  await startRotation(secretId, versionId);
  await appendKeyAudit(keyAudit(options.actor, 'key.rotate', { phase: 'requested', versionId }));
  logger.info('Platform key rotation started', { version_id: versionId });
  return { versionId };
}

/**
 * Stores a submitted key under the `CREDITGATE_SUBMITTED` label, bound to a new rotation,
 * and starts that rotation. The rotation's createSecret step copies the key into the
 * pending version, and the key becomes current only after testSecret's call succeeds.
 */
export async function submitPlatformKey(options: {
  actor: Actor;
  apiKey: string;
}): Promise<StartedRotation> {
  const secretId = getPlatformSecretId();
  checkCanRotate(await describeSecret(secretId));
  const versionId = randomUUID();
  const submissionVersionId = randomUUID();
  const submission: SubmittedKeyValue = {
    apiKey: options.apiKey,
    rotationVersionId: versionId,
    submittedAt: new Date().toISOString(),
  };

  await putVersionValue({
    secretId,
    versionId: submissionVersionId,
    value: submission,
    stages: [SUBMITTED_STAGE],
  });
  try {
    await startRotation(secretId, versionId);
  } catch (error) {
    await withdrawSubmission(secretId, submissionVersionId);
    throw error;
  }
  await appendKeyAudit(
    keyAudit(options.actor, 'key.update', { phase: 'requested', versionId, source: 'submitted' }),
  );
  logger.info('Submitted platform key stored; rotation started', { version_id: versionId });
  return { versionId };
}

function checkCanRotate(description: SecretDescription): void {
  if (description.isDeleted) {
    throw new AppError('CONFLICT', 'The platform key secret is scheduled for deletion');
  }
  if (!description.isRotationEnabled) {
    throw new AppError('CONFLICT', 'Rotation is not configured for the platform key secret');
  }
  if (isRotationInProgress(description)) throw rotationInProgress();
}

/**
 * Calls RotateSecret. Secrets Manager rejects it with InvalidRequestException while another
 * rotation is pending, which a rotation started since the check above can cause.
 */
async function startRotation(secretId: string, versionId: string): Promise<void> {
  try {
    await rotateSecret({ secretId, versionId });
  } catch (error) {
    if (
      (error as Error).name === 'InvalidRequestException' &&
      isRotationInProgress(await describeSecret(secretId))
    ) {
      throw rotationInProgress();
    }
    throw error;
  }
}

/** Removes the submission label again after RotateSecret failed, so no rotation uses it. */
async function withdrawSubmission(secretId: string, submissionVersionId: string): Promise<void> {
  try {
    await removeStage({ secretId, stage: SUBMITTED_STAGE, versionId: submissionVersionId });
  } catch (error) {
    // The submission names its own rotation, so another rotation ignores it anyway.
    logger.warn('Removing the label of an unused submission failed', { error: error as Error });
  }
}

function rotationInProgress(): AppError {
  return new AppError(
    'CONFLICT',
    'A rotation of the platform key is in progress; try again when it has finished',
  );
}

function keyAudit(
  actor: Actor,
  action: 'key.rotate' | 'key.update',
  details: Record<string, unknown>,
) {
  return newAuditEntry({
    actor,
    tenantId: PLATFORM_TENANT_ID,
    action,
    targetType: 'key',
    targetId: 'platform',
    details,
  });
}
