import { z } from 'zod';
import { auditActions, auditTargetTypes } from '../audit';
import { roles, tenantRoles, tenantStatuses, userStatuses } from '../constants';
import { errorStatusByCode } from '../errors';
import { creditRequestStatuses, modelPriceSchema } from '../schemas';

/**
 * Response bodies of every route. They describe what the handlers return, so the OpenAPI
 * document and the integration tests that parse real responses with them agree with the code.
 * Objects are not strict: a client must accept fields added later.
 */

const isoTime = z.string().meta({ description: 'ISO 8601 time in UTC' });
const credits = z.number().int().min(0);

/** Builds the schema of a list page, whose `nextCursor` is null on the last page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Opaque cursor of the next page; pass it as `cursor`' }),
  });
}

export const platformErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatusByCode) as [keyof typeof errorStatusByCode]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ description: 'Error of the platform routes; the HTTP status follows from `code`' });

export const openAiErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string(),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .meta({ description: "Creditgate's addition: the same details as in platform errors" }),
    }),
  })
  .meta({ description: "Error of the AI routes, in OpenAI's shape; `code` is a platform code" });

export const meSchema = z.object({
  userId: z.string(),
  email: z.string(),
  tenantId: z.string(),
  role: z.enum(roles),
  status: z.enum(userStatuses),
  balance: credits,
  held: credits,
  spent: credits,
});

export const ledgerEntrySchema = z.object({
  entryId: z.string(),
  tenantId: z.string(),
  type: z.enum(['GRANT', 'ALLOCATE', 'RECLAIM', 'HOLD', 'SETTLE', 'RELEASE', 'REQUEST_DENIED']),
  amount: credits.meta({
    description: 'Credits moved, always positive; for REQUEST_DENIED the amount asked',
  }),
  createdAt: isoTime,
  actorId: z.string(),
  userId: z.string().optional(),
  requestId: z.string().optional(),
  reason: z.string().optional(),
  model: z.string().optional(),
  usage: z
    .object({
      promptTokens: z.number().int(),
      cachedPromptTokens: z.number().int(),
      completionTokens: z.number().int(),
    })
    .optional(),
  released: credits.optional().meta({ description: 'Part of the hold a SETTLE returned' }),
  shortfall: credits
    .optional()
    .meta({ description: 'Cost not charged because the balance could not cover it' }),
  isEstimated: z.boolean().optional(),
  requested: credits
    .optional()
    .meta({ description: 'Credits a monthly grant asked for when the credit limit cut it' }),
  keySource: z.enum(['platform', 'tenant']).optional(),
  creditRequestId: z
    .string()
    .optional()
    .meta({ description: 'The credit request an ALLOCATE or REQUEST_DENIED entry decided' }),
});

export const apiTokenSchema = z.object({
  tokenId: z.string(),
  name: z.string(),
  status: z.enum(['ACTIVE', 'REVOKED', 'EXPIRED']),
  createdAt: isoTime,
  expiresAt: isoTime.nullable(),
  lastUsedAt: isoTime.nullable(),
  revokedAt: isoTime.nullable(),
});

export const createdApiTokenSchema = apiTokenSchema.extend({
  token: z.string().meta({ description: 'The token itself, shown only in this response' }),
});

const chatMessageSchema = z.looseObject({
  role: z.string(),
  content: z.string().nullable(),
});

const openAiUsageSchema = z.looseObject({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: chatMessageSchema,
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: openAiUsageSchema.optional(),
});

export const chatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      delta: z.looseObject({ role: z.string().optional(), content: z.string().nullish() }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: openAiUsageSchema.nullish(),
});

export const embeddingsResponseSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(
    z.looseObject({
      object: z.literal('embedding'),
      index: z.number().int(),
      embedding: z
        .union([z.array(z.number()), z.string()])
        .meta({ description: 'Floats, or base64 of little-endian float32 values' }),
    }),
  ),
  model: z.string(),
  usage: z.looseObject({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
});

export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      id: z.string(),
      object: z.literal('model'),
      created: z.number().int(),
      owned_by: z.string(),
    }),
  ),
});

export const planSchema = z.object({
  planId: z.string(),
  name: z.string(),
  monthlyCredits: credits,
  seatLimit: z.number().int(),
  models: z.array(z.string()),
  maxTokensPerRequest: z.number().int(),
  requestsPerMinute: z.number().int(),
  concurrentStreams: z.number().int(),
  allowOwnKey: z.boolean(),
  ownKeyRatePercent: z.number().int(),
  ownKeyFallback: z.enum(['platform', 'refuse']),
  tenantCount: z.number().int().meta({ description: 'Tenants on this plan' }),
  createdAt: isoTime,
  updatedAt: isoTime,
});

const priceTableMapSchema = z.record(z.string(), modelPriceSchema);

export const priceTableSchema = z.object({
  prices: priceTableMapSchema.meta({ description: 'Credits per 1M tokens of each model' }),
  previousPrices: priceTableMapSchema
    .nullable()
    .meta({ description: 'Prices for calls that started before `effectiveAt`' }),
  effectiveAt: isoTime.nullable(),
  updatedAt: isoTime.nullable(),
});

export const platformKeySchema = z.object({
  status: z.enum(['Active', 'Inactive']),
  source: z.literal('platform'),
  lastRotatedAt: isoTime.nullable(),
  nextRotationAt: isoTime.nullable(),
  rotationEnabled: z.boolean(),
  lastFailure: z
    .object({
      at: isoTime,
      step: z.enum([
        'createSecret',
        'setSecret',
        'testSecret',
        'finishSecret',
        'revokePreviousKey',
      ]),
      message: z.string(),
    })
    .nullable(),
});

export const startedRotationSchema = z.object({
  versionId: z.string().meta({ description: 'Secrets Manager version id of the new key' }),
});

export const tenantSchema = z.object({
  tenantId: z.string(),
  name: z.string(),
  planId: z.string(),
  status: z.enum(tenantStatuses),
  creditLimit: credits,
  poolBalance: credits,
  seatsUsed: z.number().int(),
  seatLimit: z.number().int().optional().meta({ description: "The plan's seat limit" }),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const createdTenantSchema = tenantSchema.extend({
  admin: z.object({ userId: z.string(), email: z.string(), status: z.enum(userStatuses) }),
});

export const ledgerVerificationResultSchema = z.object({
  checkedAt: isoTime,
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      ok: z.boolean(),
      granted: z.number().int(),
      poolBalance: z.number().int(),
      allocated: z.number().int(),
      held: z.number().int(),
      spent: z.number().int(),
      openHolds: z.number().int(),
      problems: z.array(
        z.object({
          check: z.enum([
            'invariant',
            'open-holds',
            'user-open-holds',
            'ledger-granted',
            'ledger-pool',
            'ledger-user',
          ]),
          message: z.string(),
          difference: z.number().int(),
          userId: z.string().optional(),
        }),
      ),
    }),
  ),
});

export const auditEntrySchema = z.object({
  auditId: z.string(),
  tenantId: z.string().meta({ description: '`platform` for plans, prices and keys' }),
  action: z.enum(auditActions),
  actorId: z.string(),
  actorEmail: z.string(),
  targetType: z.enum(auditTargetTypes),
  targetId: z.string(),
  requestId: z.string(),
  createdAt: isoTime,
  details: z.record(z.string(), z.unknown()).optional(),
});

export const tenantKeySchema = z.object({
  source: z.enum(['platform', 'tenant']),
  status: z.enum(['Active', 'Inactive']),
});

export const userSchema = z.object({
  userId: z.string(),
  tenantId: z.string(),
  email: z.string(),
  role: z.enum(tenantRoles),
  status: z.enum(userStatuses),
  balance: credits,
  held: credits,
  spent: credits,
  createdAt: isoTime,
  invitedAt: isoTime.nullable(),
  activatedAt: isoTime.nullable(),
  lastActiveAt: isoTime.nullable().meta({ description: "Time of the user's latest AI call" }),
});

export const batchInviteResultSchema = z.object({
  results: z.array(
    z.object({
      email: z.string(),
      result: z.enum(['invited', 'exists', 'invalid', 'seat_limit']),
      userId: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

export const grantResultSchema = z.object({
  entryId: z.string(),
  amount: credits,
  poolBalance: credits,
});

export const moveCreditsResultSchema = z.object({ userBalance: credits, poolBalance: credits });

export const platformOverviewSchema = z.object({
  from: z.string().meta({ description: 'First UTC day of the range, `yyyy-mm-dd`' }),
  to: z.string().meta({ description: 'Last UTC day of the range (today)' }),
  tenants: z.object({ total: credits, active: credits, suspended: credits }),
  credits: z
    .object({
      granted: credits,
      poolBalance: credits,
      allocated: credits,
      held: credits,
      spent: credits,
    })
    .meta({ description: 'Sums over all tenants, exact at the time of reading' }),
  callsPerDay: z.array(z.object({ day: z.string(), calls: credits, cost: credits })),
  topTenants: z
    .array(z.object({ tenantId: z.string(), name: z.string(), cost: credits }))
    .meta({ description: 'The 10 tenants that spent most in the range, most first' }),
});

export const alertSettingsResponseSchema = z.object({
  poolThreshold: credits
    .nullable()
    .meta({ description: 'Pool balance below which the admins are emailed; null when off' }),
  userThreshold: credits
    .nullable()
    .meta({ description: "A user's balance below which the admins are emailed; null when off" }),
  updatedAt: isoTime.nullable(),
});

export const creditRequestSchema = z.object({
  requestId: z.string(),
  userId: z.string(),
  email: z.string(),
  amount: credits,
  reason: z.string(),
  status: z.enum(creditRequestStatuses),
  createdAt: isoTime,
  decidedAt: isoTime.nullable(),
  decidedBy: z.string().nullable().meta({ description: 'Email of the admin who decided' }),
  note: z.string().nullable().meta({ description: "The admin's note to the requester" }),
});

export const approvedCreditRequestSchema = z.object({
  request: creditRequestSchema,
  userBalance: credits,
  poolBalance: credits,
});

export const deniedCreditRequestSchema = z.object({ request: creditRequestSchema });

export const tenantCreditsSchema = z
  .object({
    poolBalance: credits,
    creditLimit: credits,
    allocated: credits.meta({ description: "Sum of the users' balances" }),
    held: credits,
    spent: credits,
    granted: credits,
  })
  .meta({ description: 'Exact at the time of reading: granted = pool + allocated + held + spent' });

const usageTotalsShape = {
  calls: z.number().int(),
  cost: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
};

export const tenantUsageSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object(usageTotalsShape),
  days: z.array(z.object({ day: z.string(), ...usageTotalsShape })),
  users: z.array(z.object({ userId: z.string(), ...usageTotalsShape })),
  models: z.array(z.object({ model: z.string(), ...usageTotalsShape })),
  burnRate: z.object({
    days: z.number().int(),
    creditsPerDay: z.number(),
    runsOutOn: z.string().nullable(),
    users: z.array(
      z.object({
        userId: z.string(),
        balance: credits,
        creditsPerDay: z.number(),
        runsOutOn: z.string().nullable(),
      }),
    ),
  }),
});

export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ description: 'This OpenAPI 3.1 document' });
