// The path parameter schemas moved to shared/, where the OpenAPI generator reads them. This
// re-export keeps handlers written against the old module compiling.
// TODO: remove once no handler imports this module.
export { tenantParamsSchema, tenantUserParamsSchema } from '@creditgate/shared';
