import { z } from 'zod';

export const createApiTokenSchema = z.strictObject({
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'must be at most 100 characters' }),
  expiresInDays: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(365, { error: 'must be at most 365' })
    .optional(),
});

export const apiTokenParamsSchema = z.object({
  tokenId: z
    .string()
    .max(64)
    .regex(/^tok_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'must be a token id (tok_...)' }),
});
