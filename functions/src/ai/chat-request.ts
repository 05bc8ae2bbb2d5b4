export { type ChatRequest, chatRequestSchema } from '@creditgate/shared';

/** Largest accepted request body in bytes (Lambda's synchronous payload limit is 6 MB). */
export const MAX_CHAT_BODY_BYTES = 4 * 1024 * 1024;
