import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Handlers add `correlation_id`, `tenant_id` and `user_id` for
 * each request; nothing logs keys, tokens or prompt bodies.
 */
export const logger = new Logger({ serviceName: 'creditgate' });
