import { AppError, type KeySource } from '@creditgate/shared';
import { deactivateTenantKey } from '../keys/tenant-key.service';
import { logger } from '../lib/logger';
import {
  forgetPlatformApiKey,
  forgetTenantApiKey,
  getPlatformApiKey,
  getTenantApiKey,
} from './ai-key.repository';
import { type CallContext, forgetCallContext } from './call-context';
import { type UpstreamResponse, upstreamFailure } from './upstream';

/** An upstream response that succeeded, with the key that served it. */
export interface KeyedResponse {
  response: UpstreamResponse;
  keySource: KeySource;
}

/**
 * Throws 403 `FORBIDDEN` before any hold when the tenant's own key is Inactive and the plan's
 * `ownKeyFallback` is `refuse`, so such calls cost nothing.
 */
export function checkOwnKeyAvailable(context: CallContext): void {
  if (isRefusedWithoutOwnKey(context)) throw ownKeyInactiveError();
}

/**
 * Sends one upstream request with the right key: the tenant's own key while it is Active and
 * the plan allows it, else the platform key. A 401 with the platform key reads the secret
 * once more and retries. A 401, or a 429 `insufficient_quota`, with the tenant's key marks
 * it Inactive. Then the plan's `ownKeyFallback` decides: `platform` retries with the platform
 * key and `refuse` throws 403 `FORBIDDEN`. Any other failure throws the mapped upstream error.
 */
export async function sendWithUpstreamKey(input: {
  tenantId: string;
  requestId: string;
  context: CallContext;
  send: (apiKey: string) => Promise<UpstreamResponse>;
}): Promise<KeyedResponse> {
  const { context } = input;
  const ownKey = context.plan.allowOwnKey ? context.ownKey : undefined;
  let keySource: KeySource = ownKey?.status === 'Active' ? 'tenant' : 'platform';
  let isPlatformKeyReread = false;

  // At most one tenant attempt, then the platform key and its one re-read.
  for (let attempt = 1; attempt <= 3; attempt++) {
    let apiKey: string;
    if (keySource === 'tenant' && ownKey) {
      try {
        apiKey = await getTenantApiKey(input.tenantId, ownKey.setAt);
      } catch (error) {
        // The secret is missing or unreadable: the key may be fine, so it stays Active.
        logger.error("Reading the tenant's key secret failed", {
          tenant_id: input.tenantId,
          error: error as Error,
        });
        if (context.plan.ownKeyFallback !== 'platform') {
          throw new AppError(
            'UPSTREAM_ERROR',
            "Your organization's own OpenAI key could not be read; try again later",
          );
        }
        keySource = 'platform';
        continue;
      }
    } else {
      apiKey = await getPlatformApiKey();
    }
    const response = await input.send(apiKey);
    if (response.ok) return { response, keySource };

    if (keySource === 'tenant' && ownKey && (await isOwnKeyFailure(response))) {
      response.discard();
      forgetTenantApiKey(input.tenantId, ownKey.setAt);
      forgetCallContext(input.tenantId);
      try {
        await deactivateTenantKey({
          tenantId: input.tenantId,
          setAt: ownKey.setAt,
          upstreamStatus: response.status,
          requestId: input.requestId,
        });
      } catch (error) {
        // The call goes on regardless; the next failure of the key tries the update again.
        logger.error('Marking the tenant key Inactive failed', {
          tenant_id: input.tenantId,
          error: error as Error,
        });
      }
      if (context.plan.ownKeyFallback !== 'platform') throw ownKeyInactiveError();
      logger.warn("Upstream rejected the tenant's own key; retrying with the platform key", {
        upstream_status: response.status,
      });
      keySource = 'platform';
      continue;
    }
    if (keySource === 'platform' && response.status === 401 && !isPlatformKeyReread) {
      // The key may have been rotated since it was cached: read the secret once more.
      response.discard();
      forgetPlatformApiKey();
      isPlatformKeyReread = true;
      logger.warn('Upstream rejected the platform key; reading the secret again');
      continue;
    }
    logger.warn('Upstream returned an error status', {
      upstream_status: response.status,
      key_source: keySource,
    });
    throw await upstreamFailure(response, apiKey);
  }
  throw new AppError('UPSTREAM_ERROR', 'The AI provider rejected every key; try again later');
}

function isRefusedWithoutOwnKey(context: CallContext): boolean {
  return (
    context.plan.allowOwnKey &&
    context.ownKey?.status === 'Inactive' &&
    context.plan.ownKeyFallback === 'refuse'
  );
}

function ownKeyInactiveError(): AppError {
  return new AppError(
    'FORBIDDEN',
    "Your organization's own OpenAI key is inactive because the AI provider rejected it, " +
      'and your plan does not fall back to the platform key; a tenant admin must set a new key',
  );
}

/** True for a 401, or a 429 whose error code is `insufficient_quota` (the key's quota is used up). */
async function isOwnKeyFailure(response: UpstreamResponse): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 429) return false;
  try {
    // `text()` keeps the body, so `upstreamFailure` can read it again.
    const body = JSON.parse(await response.text()) as { error?: { code?: unknown } };
    return body.error?.code === 'insufficient_quota';
  } catch {
    return false;
  }
}
