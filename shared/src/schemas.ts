import { z } from 'zod';
import { MAX_CREDIT_AMOUNT, MIN_CREDIT_AMOUNT, tenantRoles, tenantStatuses } from './constants';
import { idPatterns } from './ids';

/** Request schemas of the platform API. Bodies reject unknown fields. */

export const creditAmountSchema = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(MIN_CREDIT_AMOUNT, { error: `must be at least ${MIN_CREDIT_AMOUNT}` })
  .max(MAX_CREDIT_AMOUNT, { error: `must be at most ${MAX_CREDIT_AMOUNT}` });

/** Trims and lower-cases, so one person has one email whatever its casing. */
export const emailSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'must be a valid email address' }))
  .meta({ format: 'email', description: 'Trimmed and lower-cased before use' });

const nameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(120, { error: 'must be at most 120 characters' });

export const tenantIdSchema = z
  .string()
  .max(64)
  .regex(idPatterns.tenantId, { error: 'must be a tenant id' });
export const planIdSchema = z
  .string({ error: 'must be a string' })
  .max(64)
  .regex(idPatterns.planId, { error: 'must be a plan id (pln_...)' });
export const userIdSchema = z
  .string()
  .max(64)
  .regex(idPatterns.userId, { error: 'must be a user id' });
export const creditRequestIdSchema = z
  .string()
  .max(64)
  .regex(idPatterns.creditRequestId, { error: 'must be a credit request id (crq_...)' });

const modelIdSchema = z
  .string({ error: 'must be a string' })
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, { error: 'must be a model id' });

const positiveInt = (max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` });

export const createPlanSchema = z.strictObject({
  name: nameSchema,
  monthlyCredits: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(0, { error: 'must be at least 0' })
    .max(MAX_CREDIT_AMOUNT, { error: `must be at most ${MAX_CREDIT_AMOUNT}` }),
  seatLimit: positiveInt(100_000),
  models: z
    .array(modelIdSchema, { error: 'must be an array of model ids' })
    .min(1, { error: 'must list at least one model' })
    .max(50, { error: 'must list at most 50 models' }),
  maxTokensPerRequest: positiveInt(1_000_000),
  requestsPerMinute: positiveInt(100_000),
  concurrentStreams: positiveInt(10_000),
  allowOwnKey: z.boolean({ error: 'must be a boolean' }),
  ownKeyRatePercent: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(0, { error: 'must be at least 0' })
    .max(100, { error: 'must be at most 100' }),
  ownKeyFallback: z.enum(['platform', 'refuse'], { error: 'must be "platform" or "refuse"' }),
});
export type CreatePlanInput = z.infer<typeof createPlanSchema>;

export const updatePlanSchema = createPlanSchema.partial();
export type UpdatePlanInput = z.infer<typeof updatePlanSchema>;

export const createTenantSchema = z.strictObject({
  name: nameSchema,
  planId: planIdSchema,
  adminEmail: emailSchema,
  creditLimit: creditAmountSchema,
});
export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = z.strictObject({
  name: nameSchema.optional(),
  planId: planIdSchema.optional(),
  creditLimit: creditAmountSchema.optional(),
  status: z.enum(tenantStatuses, { error: 'must be "ACTIVE" or "SUSPENDED"' }).optional(),
});
export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export const grantCreditsSchema = z.strictObject({
  amount: creditAmountSchema,
  reason: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(500, { error: 'must be at most 500 characters' }),
});
export type GrantCreditsInput = z.infer<typeof grantCreditsSchema>;

export const inviteUserSchema = z.strictObject({
  email: emailSchema,
  role: z.enum(tenantRoles, { error: 'must be "User" or "TenantAdmin"' }),
});
export type InviteUserInput = z.infer<typeof inviteUserSchema>;

export const updateUserSchema = z
  .strictObject({
    role: z.enum(tenantRoles, { error: 'must be "User" or "TenantAdmin"' }).optional(),
    status: z.enum(['ACTIVE', 'DISABLED'], { error: 'must be "ACTIVE" or "DISABLED"' }).optional(),
  })
  .refine((value) => value.role !== undefined || value.status !== undefined, {
    error: 'must set role or status',
    path: ['role'],
  });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** Bulk invitation: each row is checked on its own, so one bad row does not fail the request. */
export const MAX_BATCH_INVITES = 100;
export const batchInviteSchema = z.strictObject({
  users: z
    .array(z.unknown(), { error: 'must be an array of {email, role}' })
    .min(1, { error: 'must list at least one user' })
    .max(MAX_BATCH_INVITES, { error: `must list at most ${MAX_BATCH_INVITES} users` })
    .meta({ description: 'Rows of `{email, role}`, each validated on its own' }),
});

export const auditQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(100, { error: 'must be at most 100' })
    .optional(),
  cursor: z.string().max(2048, { error: 'must be at most 2048 characters' }).optional(),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z-]+\.[a-z-]+$/, { error: 'must be an action such as user.invite' })
    .optional(),
  actorId: z
    .string()
    .max(64)
    .regex(/^[0-9a-f-]{36}$/, { error: 'must be a user id' })
    .optional(),
});

/** `POST /v1/platform/ledger-verification`: one tenant, or every tenant when omitted. */
export const ledgerVerificationSchema = z.strictObject({
  tenantId: tenantIdSchema.optional(),
});
export type LedgerVerificationInput = z.infer<typeof ledgerVerificationSchema>;

export const moveCreditsSchema = z.strictObject({
  operation: z.enum(['allocate', 'reclaim'], { error: 'must be "allocate" or "reclaim"' }),
  amount: creditAmountSchema,
});
export type MoveCreditsInput = z.infer<typeof moveCreditsSchema>;

export const listQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(100, { error: 'must be at most 100' })
    .optional(),
  cursor: z.string().max(2048, { error: 'must be at most 2048 characters' }).optional(),
});

/** Maximum length of a tenant search term. */
export const MAX_TENANT_SEARCH_LENGTH = 100;

/**
 * `GET /v1/tenants`: a page of tenants, newest first. `q` keeps the tenants whose name
 * contains it, in any case, or the tenant with exactly that id.
 */
export const listTenantsQuerySchema = listQuerySchema.extend({
  q: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_TENANT_SEARCH_LENGTH, {
      error: `must be at most ${MAX_TENANT_SEARCH_LENGTH} characters`,
    })
    .optional(),
});

export const ledgerQuerySchema = listQuerySchema.extend({
  requestId: z
    .string()
    .max(64)
    .regex(idPatterns.requestId, { error: 'must be a request id (req_...)' })
    .optional(),
});

/** Filters of a tenant's ledger: one user's entries, one entry type, or one AI call's. */
export const tenantLedgerQuerySchema = ledgerQuerySchema.extend({
  userId: userIdSchema.optional(),
  type: z
    .enum(['GRANT', 'ALLOCATE', 'RECLAIM', 'HOLD', 'SETTLE', 'RELEASE', 'REQUEST_DENIED'], {
      error: 'must be GRANT, ALLOCATE, RECLAIM, HOLD, SETTLE, RELEASE or REQUEST_DENIED',
    })
    .optional(),
});

const priceSchema = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(0, { error: 'must be at least 0' })
  .max(100_000_000, { error: 'must be at most 100000000' });

/** Credits per 1M tokens of one model. */
export const modelPriceSchema = z.strictObject({
  input: priceSchema,
  cachedInput: priceSchema,
  output: priceSchema,
});

export const updatePricesSchema = z.strictObject({
  prices: z
    .record(modelIdSchema, modelPriceSchema, { error: 'must map model ids to prices' })
    .refine((prices) => Object.keys(prices).length > 0, { error: 'must price at least one model' })
    .refine((prices) => Object.keys(prices).length <= 200, {
      error: 'must price at most 200 models',
    }),
});

/** A low-balance threshold in credits, or null when the alert is off. */
const thresholdSchema = z
  .number({ error: 'must be a number or null' })
  .int({ error: 'must be an integer' })
  .min(0, { error: 'must be at least 0' })
  .max(MAX_CREDIT_AMOUNT, { error: `must be at most ${MAX_CREDIT_AMOUNT}` })
  .nullable();

/**
 * Low-balance alerts of a tenant: the pool's threshold, and one threshold that applies to
 * each user's balance. Both fields are required, so a PUT states the whole setting.
 */
export const alertSettingsSchema = z.strictObject({
  poolThreshold: thresholdSchema,
  userThreshold: thresholdSchema,
});
export type AlertSettingsInput = z.infer<typeof alertSettingsSchema>;

const noteSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .max(500, { error: 'must be at most 500 characters' });

export const createCreditRequestSchema = z.strictObject({
  amount: creditAmountSchema,
  reason: noteSchema.min(1, { error: 'must not be empty' }),
});
export type CreateCreditRequestInput = z.infer<typeof createCreditRequestSchema>;

/** The body of an approval or a denial; the note reaches the requester. */
export const creditRequestDecisionSchema = z.strictObject({
  note: noteSchema.optional(),
});
export type CreditRequestDecisionInput = z.infer<typeof creditRequestDecisionSchema>;

export const creditRequestStatuses = ['PENDING', 'APPROVED', 'DENIED'] as const;
export type CreditRequestStatus = (typeof creditRequestStatuses)[number];

export const creditRequestQuerySchema = listQuerySchema.extend({
  status: z
    .enum(creditRequestStatuses, { error: 'must be PENDING, APPROVED or DENIED' })
    .optional(),
});

/** Path parameters of routes that name a tenant, a user or a plan. */
export const tenantParamsSchema = z.object({ tenantId: tenantIdSchema });
export const tenantUserParamsSchema = z.object({ tenantId: tenantIdSchema, userId: userIdSchema });
export const tenantCreditRequestParamsSchema = z.object({
  tenantId: tenantIdSchema,
  requestId: creditRequestIdSchema,
});
export const planParamsSchema = z.object({ planId: planIdSchema });

/** `POST /v1/me/api-tokens`: a name to recognise the token by and an optional lifetime. */
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

const usageDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a UTC day as YYYY-MM-DD' })
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), { error: 'must be a real day' });

/** `GET /v1/tenants/{tenantId}/usage`: UTC days, both inclusive. */
export const usageQuerySchema = z.strictObject({
  from: usageDaySchema.optional(),
  to: usageDaySchema.optional(),
});

/** Most days the platform overview sums: its reads grow with tenants times days. */
export const MAX_OVERVIEW_DAYS = 90;

export const platformOverviewQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_OVERVIEW_DAYS, { error: `must be at most ${MAX_OVERVIEW_DAYS}` })
    .optional(),
});
