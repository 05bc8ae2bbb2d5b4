import { PLATFORM_TENANT_ID, type RotationStep } from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { optionalEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { revokeKeyAccount } from './key-revocation.service';
import { createServiceAccountKey, findKeyProblem, UpstreamKeyError } from './openai-keys.client';
import {
  AWSCURRENT,
  AWSPENDING,
  findVersionWithStage,
  type KeySource,
  type PlatformKeyValue,
  parsePlatformKeyValue,
  parseSubmittedKeyValue,
  type SecretDescription,
  SUBMITTED_STAGE,
} from './platform-key.model';
import {
  describeSecret,
  moveCurrentStage,
  putVersionValue,
  readAdminKey,
  readVersionValue,
  removeStage,
} from './platform-key-secret.repository';
import {
  getKeyState,
  listUnrevokedKeyAccounts,
  putKeyAccount,
  recordFailure,
  recordRotation,
} from './platform-key-state.repository';
import { logRotationFailure } from './rotation-metrics';

/**
 * The four steps of the platform key's Secrets Manager rotation. Each step may run again for
 * the same version (ClientRequestToken) and then changes nothing more. A failed step records
 * the failure, emits the `RotationFailed` metric and abandons the rotation, so `AWSCURRENT`
 * stays on the old key and the next rotation can start.
 */

/** A rotation request for a secret and version that is not in a state to rotate. */
export class RotationStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationStateError';
  }
}

/** A step failure whose message is safe to store and to show to a SuperAdmin. */
export class RotationStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationStepError';
  }
}

export interface RotationStepRequest {
  secretId: string;
  /** The rotation's ClientRequestToken, which is the id of the new version. */
  versionId: string;
  step: RotationStep;
  actor: Actor;
}

/**
 * Runs one rotation step. As Secrets Manager's rotation templates do, it first checks that
 * rotation is enabled and that the version is staged `AWSPENDING`. A version that is
 * already `AWSCURRENT` has finished, so every step returns at once.
 */
export async function runRotationStep(request: RotationStepRequest): Promise<void> {
  const description = await describeSecret(request.secretId);
  const stages = checkRotationTarget(description, request.versionId);
  if (stages.includes(AWSCURRENT)) {
    logger.info('Version is already current; nothing to do');
    // A finishSecret that moved the label but stopped before recording it records it now.
    if (
      request.step === 'finishSecret' &&
      (await getKeyState()).currentVersionId !== request.versionId
    ) {
      await completeRecord(request, undefined);
    }
    return;
  }

  try {
    switch (request.step) {
      case 'createSecret':
        await createPendingKey(request, description);
        break;
      case 'setSecret':
        // Nothing to set: OpenAI accepts a minted key from the moment the Admin API creates
        // it, and a submitted key was created in OpenAI by the SuperAdmin. Unlike a database
        // password, no service has to learn the new key before it is tested.
        break;
      case 'testSecret':
        await testPendingKey(request);
        break;
      case 'finishSecret':
        await finishRotation(request, description);
        break;
    }
  } catch (error) {
    await abandonRotation(request, error);
    throw error;
  }
}

/** Returns the version's staging labels after the checks of Secrets Manager's templates. */
function checkRotationTarget(description: SecretDescription, versionId: string): string[] {
  if (!description.isRotationEnabled) {
    throw new RotationStateError(`Secret ${description.arn} is not enabled for rotation`);
  }
  const stages = description.versionStages[versionId];
  if (stages === undefined) {
    throw new RotationStateError(
      `Version ${versionId} of secret ${description.arn} has no staging label, so it is not being rotated`,
    );
  }
  if (!stages.includes(AWSCURRENT) && !stages.includes(AWSPENDING)) {
    throw new RotationStateError(
      `Version ${versionId} of secret ${description.arn} is not staged AWSPENDING; its rotation was abandoned or never started`,
    );
  }
  return stages;
}

/**
 * createSecret: keeps a key the pending version already has (a retry), else copies the key
 * submitted for this rotation, else mints a new one through the Admin API.
 */
async function createPendingKey(request: RotationStepRequest, description: SecretDescription) {
  const { secretId, versionId } = request;
  const existing = await readVersionValue(secretId, versionId, AWSPENDING);
  if (existing !== undefined) {
    const value = parsePlatformKeyValue(existing, 'pending version');
    await releaseSubmission(request, description, value.submittedVersionId);
    logger.info('Pending version already has a key; keeping it', { source: value.source });
    return;
  }

  const submission = await findSubmission(request, description);
  if (submission !== undefined) {
    const value: PlatformKeyValue = {
      apiKey: submission.apiKey,
      source: 'submitted',
      submittedVersionId: submission.versionId,
    };
    await putVersionValue({ secretId, versionId, value, stages: [AWSPENDING] });
    await releaseSubmission(request, description, submission.versionId);
    logger.info('Stored the submitted key as the pending version', {
      submitted_version_id: submission.versionId,
    });
    return;
  }

  await mintPendingKey(request);
}

/** Returns the key submitted for this rotation, if the submission label names one. */
async function findSubmission(request: RotationStepRequest, description: SecretDescription) {
  const submittedVersionId = findVersionWithStage(description, SUBMITTED_STAGE);
  if (submittedVersionId === undefined) return undefined;
  const submission = parseSubmittedKeyValue(
    await readVersionValue(request.secretId, submittedVersionId),
  );
  // A submission belongs to the rotation its request started. One whose rotation was
  // rejected stays labelled until the next submission moves the label.
  if (submission.rotationVersionId !== request.versionId) {
    logger.info('The submitted key belongs to another rotation; ignoring it', {
      submitted_version_id: submittedVersionId,
    });
    return undefined;
  }
  return { versionId: submittedVersionId, apiKey: submission.apiKey };
}

/** Removes the submission label once the pending version contains a copy of the key. */
async function releaseSubmission(
  request: RotationStepRequest,
  description: SecretDescription,
  submittedVersionId: string | undefined,
) {
  if (submittedVersionId === undefined) return;
  if (!description.versionStages[submittedVersionId]?.includes(SUBMITTED_STAGE)) return;
  await removeStage({
    secretId: request.secretId,
    stage: SUBMITTED_STAGE,
    versionId: submittedVersionId,
  });
}

/**
 * Mints a key for a new service account in `OPENAI_PROJECT_ID` and stores it as the pending
 * version, with the account's ids. The account is recorded before the key is stored, so a
 * key whose storing failed can still be revoked.
 */
async function mintPendingKey(request: RotationStepRequest) {
  const { secretId, versionId } = request;
  const projectId = optionalEnv('OPENAI_PROJECT_ID');
  if (projectId === undefined) {
    throw new RotationStepError(
      'No key was submitted for this rotation and OPENAI_PROJECT_ID is not set, so no key can be minted',
    );
  }
  const adminKey = await readAdminKey();

  // Accounts recorded for this version come from an earlier attempt whose key was never
  // stored. That key is lost, so its account goes before a new one is created.
  for (const orphan of await listUnrevokedKeyAccounts(versionId)) {
    await revokeKeyAccount({
      account: orphan,
      adminKey,
      actor: request.actor,
      reason: 'not-stored',
    });
  }

  const minted = await createServiceAccountKey({
    adminKey,
    projectId,
    name: `creditgate-platform-${new Date().toISOString().slice(0, 10)}-${versionId.slice(0, 8)}`,
  });
  await putKeyAccount({
    versionId,
    projectId,
    serviceAccountId: minted.serviceAccountId,
    keyId: minted.keyId,
    mintedAt: new Date().toISOString(),
  });
  const value: PlatformKeyValue = {
    apiKey: minted.apiKey,
    source: 'minted',
    serviceAccountId: minted.serviceAccountId,
    keyId: minted.keyId,
  };
  await putVersionValue({ secretId, versionId, value, stages: [AWSPENDING] });
  logger.info('Stored a newly minted key as the pending version', {
    service_account_id: minted.serviceAccountId,
    key_id: minted.keyId,
  });
}

/**
 * testSecret: one model list request with the pending key. A pending version without a
 * value never went through createSecret. Secrets Manager creates one when rotation is
 * configured without rotating at once, and runs only this step to check the setup, so
 * there is nothing to test.
 */
async function testPendingKey(request: RotationStepRequest) {
  const text = await readVersionValue(request.secretId, request.versionId, AWSPENDING);
  if (text === undefined) {
    logger.info('Pending version has no key yet; treating this as a configuration check');
    return;
  }
  const problem = await findKeyProblem(parsePlatformKeyValue(text, 'pending version').apiKey);
  if (problem !== null) throw new RotationStepError(problem);
  logger.info('Pending key passed the upstream test');
}

/**
 * finishSecret: moves `AWSCURRENT` to the pending version, so Secrets Manager labels the old
 * one `AWSPREVIOUS`, then records the rotation.
 */
async function finishRotation(request: RotationStepRequest, description: SecretDescription) {
  const text = await readVersionValue(request.secretId, request.versionId, AWSPENDING);
  if (text === undefined) {
    throw new RotationStepError(
      `Version ${request.versionId} has no key, so it cannot become current`,
    );
  }
  const value = parsePlatformKeyValue(text, 'pending version');
  const previousVersionId = findVersionWithStage(description, AWSCURRENT);
  await moveCurrentStage({
    secretId: request.secretId,
    toVersionId: request.versionId,
    fromVersionId: previousVersionId,
  });
  logger.info('Pending version is now current', { previous_version_id: previousVersionId });
  await completeRecord(request, { source: value.source ?? 'minted', previousVersionId });
}

/**
 * Records a finished rotation once. Without `finished` (a repeated finishSecret), the source
 * is read from the current version. A failure here is only logged, because the key has
 * already moved; `GET /v1/platform/ai-key` then falls back to Secrets Manager's
 * LastRotatedDate.
 */
async function completeRecord(
  request: RotationStepRequest,
  finished: { source: KeySource; previousVersionId: string | undefined } | undefined,
) {
  try {
    const source =
      finished?.source ??
      parsePlatformKeyValue(
        await readVersionValue(request.secretId, request.versionId, AWSCURRENT),
        'current version',
      ).source ??
      'minted';
    const isRecorded = await recordRotation({
      versionId: request.versionId,
      source,
      rotatedAt: new Date().toISOString(),
      audit: keyAuditEntry(request.actor, {
        phase: 'completed',
        versionId: request.versionId,
        source,
        ...(finished?.previousVersionId && { previousVersionId: finished.previousVersionId }),
      }),
    });
    if (isRecorded) logger.info('Rotation recorded', { source });
  } catch (error) {
    logger.error('The rotation finished, but recording it failed', { error: error as Error });
  }
}

/**
 * Ends a failed rotation: logs it with the `RotationFailed` metric, removes `AWSPENDING` so
 * the secret is no longer rotating, revokes a key minted for the version and records the
 * failure. Each cleanup failure is logged, and the step's own error is rethrown by the caller.
 */
async function abandonRotation(request: RotationStepRequest, error: unknown) {
  const failure = {
    at: new Date().toISOString(),
    step: request.step,
    message: describeFailure(request.step, error),
  };
  logRotationFailure(failure, { error: error as Error });

  try {
    const description = await describeSecret(request.secretId);
    const stages = description.versionStages[request.versionId] ?? [];
    // Never undo a finished rotation. Secrets Manager accepts either AWSPENDING on the
    // current version or on no version as the end of a rotation.
    if (stages.includes(AWSPENDING) && !stages.includes(AWSCURRENT)) {
      await removeStage({
        secretId: request.secretId,
        stage: AWSPENDING,
        versionId: request.versionId,
      });
      logger.info('Rotation abandoned; AWSPENDING removed');
    }
  } catch (cleanupError) {
    logger.error('Removing AWSPENDING from the failed version failed', {
      error: cleanupError as Error,
    });
  }

  try {
    const accounts = await listUnrevokedKeyAccounts(request.versionId);
    if (accounts.length > 0) {
      const adminKey = await readAdminKey();
      for (const account of accounts) {
        await revokeKeyAccount({
          account,
          adminKey,
          actor: request.actor,
          reason: 'rotation-failed',
        });
      }
    }
  } catch (cleanupError) {
    // The job that revokes replaced keys retries it, because the version is no longer pending.
    logger.error('Revoking the key minted for the failed rotation failed', {
      error: cleanupError as Error,
    });
  }

  try {
    await recordFailure({
      failure: { ...failure, versionId: request.versionId },
      audit: keyAuditEntry(request.actor, {
        phase: 'failed',
        versionId: request.versionId,
        step: failure.step,
        message: failure.message,
      }),
    });
  } catch (recordError) {
    logger.error('Recording the rotation failure failed', { error: recordError as Error });
  }
}

/**
 * Returns a message for the stored failure. Only errors this module and the OpenAI client
 * build are quoted; any other error is named by its type, because its text is not reviewed.
 */
function describeFailure(step: RotationStep, error: unknown): string {
  if (error instanceof RotationStepError || error instanceof UpstreamKeyError) return error.message;
  const name = error instanceof Error ? error.name : typeof error;
  return `The ${step} step failed with ${name}; see the rotation function's log`;
}

function keyAuditEntry(actor: Actor, details: Record<string, unknown>) {
  return newAuditEntry({
    actor,
    tenantId: PLATFORM_TENANT_ID,
    action: 'key.rotate',
    targetType: 'key',
    targetId: 'platform',
    details,
  });
}
