import { useMemo, useRef } from 'react';
import { ApiError } from './api-error';

export interface IdempotentSender {
  /**
   * Sends a credit-moving request with an `Idempotency-Key`. `body` identifies the request,
   * target ids included.
   */
  send: <T>(body: unknown, request: (idempotencyKey: string) => Promise<T>) => Promise<T>;
}

/**
 * Chooses the `Idempotency-Key` of grants, allocations and reclaims. A retry of the same
 * body reuses the key while the first attempt's outcome is unknown (no response, a 5xx or
 * `IDEMPOTENCY_IN_PROGRESS`), so the API moves the credits at most once. Any other request
 * gets a new key, because the API replays its stored response for a known key, refusals
 * included, and rejects a known key sent with another body.
 */
export function useIdempotencyKey(): IdempotentSender {
  const unsettledRef = useRef<{ body: string; key: string } | null>(null);

  return useMemo(
    () => ({
      send: async (body, request) => {
        const text = JSON.stringify(body);
        const unsettled = unsettledRef.current;
        const key = unsettled?.body === text ? unsettled.key : crypto.randomUUID();
        unsettledRef.current = { body: text, key };
        try {
          const result = await request(key);
          unsettledRef.current = null;
          return result;
        } catch (error) {
          if (isSettled(error)) unsettledRef.current = null;
          throw error;
        }
      },
    }),
    [],
  );
}

/** Returns true when the API answered the request for good, so its key is spent. */
function isSettled(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.code !== 'IDEMPOTENCY_IN_PROGRESS'
  );
}
