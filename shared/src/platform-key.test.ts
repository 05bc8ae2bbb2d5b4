import { describe, expect, it } from 'vitest';
import {
  openAiApiKeySchema,
  startKeyRotationSchema,
  submitPlatformKeySchema,
} from './platform-key';

/** Returns the messages of a failed parse, or an empty list when it passed. */
function issueMessages(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('openAiApiKeySchema', () => {
  it.each([
    'sk-proj-abcdefghijklmnopqrstuvwx',
    'sk-svcacct-ABCDEFGHIJ_klmnop-qrstu',
    `sk-${'a'.repeat(48)}`,
  ])('accepts %s', (key) => {
    expect(openAiApiKeySchema.safeParse(key).success).toBe(true);
  });

  it.each([
    ['too short', 'sk-proj-short'],
    ['wrong prefix', 'pk-proj-abcdefghijklmnopqrstuvwx'],
    ['whitespace', 'sk-proj-abcdefghij klmnopqrstuvwx'],
    ['too long', `sk-${'a'.repeat(600)}`],
    ['admin key', 'sk-admin-abcdefghijklmnopqrstuvwx'],
  ])('rejects %s', (_case, key) => {
    expect(openAiApiKeySchema.safeParse(key).success).toBe(false);
  });

  it('never echoes the key', () => {
    const key = 'sk-admin-secretsecretsecret';

    const messages = issueMessages(openAiApiKeySchema.safeParse(key));

    expect(messages).toEqual([
      'must not be an admin key (sk-admin-...); submit a project or service account key',
    ]);
    expect(messages.join(' ')).not.toContain('secretsecret');
  });
});

describe('submitPlatformKeySchema', () => {
  it('rejects unknown fields', () => {
    const result = submitPlatformKeySchema.safeParse({
      apiKey: 'sk-proj-abcdefghijklmnopqrstuvwx',
      name: 'extra',
    });

    expect(result.success).toBe(false);
  });
});

describe('startKeyRotationSchema', () => {
  it('accepts only an empty object', () => {
    expect(startKeyRotationSchema.safeParse({}).success).toBe(true);
    expect(startKeyRotationSchema.safeParse({ force: true }).success).toBe(false);
  });
});
