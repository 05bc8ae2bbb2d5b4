import { creditRequestIdSchema, tenantIdSchema, userIdSchema } from '@creditgate/shared';
import { z } from 'zod';

/** Path parameter schemas shared by tenant-scoped routes. */
export const tenantParamsSchema = z.object({ tenantId: tenantIdSchema });
export const tenantUserParamsSchema = z.object({ tenantId: tenantIdSchema, userId: userIdSchema });
export const tenantCreditRequestParamsSchema = z.object({
  tenantId: tenantIdSchema,
  requestId: creditRequestIdSchema,
});
