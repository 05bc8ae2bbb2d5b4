import type { KeyRotationFailure } from '@creditgate/shared';

/** Staging labels that Secrets Manager itself manages. */
export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

/**
 * Staging label of the version that contains a SuperAdmin's submitted key until the rotation
 * it started copies the key into its `AWSPENDING` version. RotateSecret rejects a secret
 * whose `AWSPENDING` label sits on a version other than the current one, so the submission
 * cannot be stored as `AWSPENDING` itself.
 */
export const SUBMITTED_STAGE = 'CREDITGATE_SUBMITTED';

/** Origin of a version's key. */
export type KeySource = 'minted' | 'submitted';

/**
 * A version's JSON value in the platform key secret. The proxy reads only `apiKey`; the ids
 * of a minted key name its OpenAI service account, so the key can be revoked later.
 */
export interface PlatformKeyValue {
  apiKey: string;
  source?: KeySource;
  serviceAccountId?: string;
  keyId?: string;
  /** For a submitted key: the version that held the submission. */
  submittedVersionId?: string;
}

/** The value of the version labelled `CREDITGATE_SUBMITTED`. */
export interface SubmittedKeyValue {
  apiKey: string;
  /** The rotation (its ClientRequestToken) that may use this submission. */
  rotationVersionId: string;
  submittedAt: string;
}

/** Metadata that DescribeSecret returns about the platform key secret, without any value. */
export interface SecretDescription {
  arn: string;
  isRotationEnabled: boolean;
  isDeleted: boolean;
  /** Staging labels of each labelled version. */
  versionStages: Record<string, string[]>;
  lastRotatedAt: string | null;
  nextRotationAt: string | null;
}

/** The rotation state item. */
export interface PlatformKeyState {
  currentVersionId?: string;
  lastRotatedAt?: string;
  lastRotationSource?: KeySource;
  lastFailure?: KeyRotationFailure & { versionId?: string };
}

/** A service account minted through the Admin API for one version of the secret. */
export interface KeyAccountRecord {
  versionId: string;
  /** The OpenAI project the account belongs to. */
  projectId: string;
  serviceAccountId: string;
  keyId: string;
  mintedAt: string;
  revokedAt?: string;
}

/** Returns the id of the version that carries `stage`, if any. */
export function findVersionWithStage(
  description: Pick<SecretDescription, 'versionStages'>,
  stage: string,
): string | undefined {
  return Object.entries(description.versionStages).find(([, stages]) =>
    stages.includes(stage),
  )?.[0];
}

/**
 * True while a rotation runs: `AWSPENDING` is on a version that is not `AWSCURRENT`. Secrets
 * Manager rejects RotateSecret in that state.
 */
export function isRotationInProgress(description: Pick<SecretDescription, 'versionStages'>) {
  return Object.values(description.versionStages).some(
    (stages) => stages.includes(AWSPENDING) && !stages.includes(AWSCURRENT),
  );
}

/**
 * Parses a secret value as a JSON object. The error names the secret by `label` and never
 * contains the value.
 */
export function parseJsonObject(text: string | undefined, label: string): Record<string, unknown> {
  if (text === undefined || text === '') throw new Error(`The ${label} has no string value`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The ${label} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`The ${label} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Parses a version of the platform key secret; `label` names it in errors. */
export function parsePlatformKeyValue(text: string | undefined, label: string): PlatformKeyValue {
  const value = parseJsonObject(text, label);
  if (typeof value.apiKey !== 'string' || value.apiKey === '') {
    throw new Error(`The ${label} has no apiKey field`);
  }
  const optionalString = (name: string) =>
    typeof value[name] === 'string' ? (value[name] as string) : undefined;
  const source = optionalString('source');
  return {
    apiKey: value.apiKey,
    source: source === 'minted' || source === 'submitted' ? source : undefined,
    serviceAccountId: optionalString('serviceAccountId'),
    keyId: optionalString('keyId'),
    submittedVersionId: optionalString('submittedVersionId'),
  };
}

/** Parses the value of the `CREDITGATE_SUBMITTED` version. */
export function parseSubmittedKeyValue(text: string | undefined): SubmittedKeyValue {
  const label = 'submitted key version';
  const value = parseJsonObject(text, label);
  if (
    typeof value.apiKey !== 'string' ||
    typeof value.rotationVersionId !== 'string' ||
    typeof value.submittedAt !== 'string'
  ) {
    throw new Error(`The ${label} lacks apiKey, rotationVersionId or submittedAt`);
  }
  return {
    apiKey: value.apiKey,
    rotationVersionId: value.rotationVersionId,
    submittedAt: value.submittedAt,
  };
}
