import { z } from 'zod';

/**
 * OpenAI API keys as the platform accepts them: `sk-` followed by letters, digits, `-` and
 * `_`, such as `sk-proj-...` or `sk-svcacct-...`. Admin keys (`sk-admin-...`) are rejected,
 * because they manage the organization and must never serve model calls. Messages never
 * contain the value.
 */
export const openAiApiKeySchema = z
  .string({ error: 'must be a string' })
  .min(20, { error: 'must be at least 20 characters' })
  .max(512, { error: 'must be at most 512 characters' })
  .regex(/^sk-[A-Za-z0-9_-]+$/, {
    error: 'must be an OpenAI API key: sk- followed by letters, digits, - or _',
  })
  .refine((key) => !key.startsWith('sk-admin-'), {
    error: 'must not be an admin key (sk-admin-...); submit a project or service account key',
  });

/** Body of `PUT /v1/platform/ai-key`: the key a SuperAdmin submits. */
export const submitPlatformKeySchema = z.strictObject({ apiKey: openAiApiKeySchema });
export type SubmitPlatformKeyInput = z.infer<typeof submitPlatformKeySchema>;

/** Body of `POST /v1/platform/ai-key/rotation`, which is optional and takes no fields. */
export const startKeyRotationSchema = z.strictObject({});

/** Rotation steps of a Secrets Manager rotation function, in the order they run. */
export const rotationSteps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof rotationSteps)[number];

/** The last failed rotation or revocation step. `message` never contains any part of a key. */
export interface KeyRotationFailure {
  /** ISO 8601 time of the failure. */
  at: string;
  /** A rotation step, or `revokePreviousKey` for the job that revokes replaced keys. */
  step: RotationStep | 'revokePreviousKey';
  message: string;
}

/**
 * Body of `GET /v1/platform/ai-key`. It describes the platform key and its rotation and never
 * contains any part of the key.
 */
export interface PlatformKeyView {
  /** `Inactive` when the secret has no current version or that version's key was revoked. */
  status: 'Active' | 'Inactive';
  source: 'platform';
  lastRotatedAt: string | null;
  /** Secrets Manager's next scheduled rotation, or null when none is scheduled. */
  nextRotationAt: string | null;
  rotationEnabled: boolean;
  lastFailure: KeyRotationFailure | null;
}
