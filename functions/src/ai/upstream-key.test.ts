import { AppError } from '@creditgate/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../lib/logger';
import type { CallContext } from './call-context';
import { UpstreamResponse } from './upstream';
import { checkOwnKeyAvailable, sendWithUpstreamKey } from './upstream-key';

const platformKey = 'sk-proj-platform-key-for-unit-tests';
const tenantKey = 'sk-proj-tenant-key-for-unit-tests';

const keys = vi.hoisted(() => ({
  getPlatformApiKey: vi.fn(),
  getTenantApiKey: vi.fn(),
  forgetPlatformApiKey: vi.fn(),
  forgetTenantApiKey: vi.fn(),
}));
const deactivation = vi.hoisted(() => ({ deactivateTenantKey: vi.fn() }));

vi.mock('./ai-key.repository', () => keys);
vi.mock('../keys/tenant-key.service', () => deactivation);
vi.mock('./call-context', () => ({ forgetCallContext: vi.fn() }));

function contextWith(input: {
  allowOwnKey: boolean;
  ownKeyFallback: 'platform' | 'refuse';
  status?: 'Active' | 'Inactive';
}): CallContext {
  return {
    planId: 'pln_test',
    plan: { allowOwnKey: input.allowOwnKey, ownKeyFallback: input.ownKeyFallback },
    priceTable: {},
    ...(input.status && { ownKey: { status: input.status, setAt: '2026-01-01T00:00:00.000Z' } }),
  } as unknown as CallContext;
}

/** Returns a `send` that responds to each key with its entry in `statusByKey` (default 200). */
function fakeSend(statusByKey: Record<string, { status: number; body?: unknown }> = {}) {
  const sentKeys: string[] = [];
  const send = async (apiKey: string) => {
    sentKeys.push(apiKey);
    const result = statusByKey[apiKey] ?? { status: 200, body: { ok: true } };
    return UpstreamResponse.fromText(result.status, JSON.stringify(result.body ?? {}));
  };
  return { send, sentKeys };
}

const request = { tenantId: 'tnt_test', requestId: 'req_test' };

describe('upstream key choice', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    keys.getPlatformApiKey.mockResolvedValue(platformKey);
    keys.getTenantApiKey.mockResolvedValue(tenantKey);
    deactivation.deactivateTenantKey.mockResolvedValue(undefined);
    // Expected warnings and errors stay out of the test output; the last test reads them.
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  });

  it('uses an active tenant key', async () => {
    const { send, sentKeys } = fakeSend();
    const context = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'platform',
      status: 'Active',
    });

    const result = await sendWithUpstreamKey({ ...request, context, send });

    expect(result.keySource).toBe('tenant');
    expect(sentKeys).toEqual([tenantKey]);
  });

  it('ignores a tenant key the plan disallows', async () => {
    const { send, sentKeys } = fakeSend();
    const context = contextWith({
      allowOwnKey: false,
      ownKeyFallback: 'platform',
      status: 'Active',
    });

    const result = await sendWithUpstreamKey({ ...request, context, send });

    expect(result.keySource).toBe('platform');
    expect(sentKeys).toEqual([platformKey]);
  });

  it('falls back after a tenant key 401', async () => {
    const { send, sentKeys } = fakeSend({ [tenantKey]: { status: 401 } });
    const context = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'platform',
      status: 'Active',
    });

    const result = await sendWithUpstreamKey({ ...request, context, send });

    expect(result.keySource).toBe('platform');
    expect(sentKeys).toEqual([tenantKey, platformKey]);
    expect(deactivation.deactivateTenantKey).toHaveBeenCalledTimes(1);
    expect(deactivation.deactivateTenantKey).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId: 'tnt_test', upstreamStatus: 401 }),
    );
  });

  it('rejects after a tenant key 401 when the plan refuses', async () => {
    const { send, sentKeys } = fakeSend({ [tenantKey]: { status: 401 } });
    const context = contextWith({ allowOwnKey: true, ownKeyFallback: 'refuse', status: 'Active' });

    const call = sendWithUpstreamKey({ ...request, context, send });

    await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(sentKeys).toEqual([tenantKey]);
    expect(deactivation.deactivateTenantKey).toHaveBeenCalledTimes(1);
  });

  it('deactivates on insufficient_quota only', async () => {
    const quota = { status: 429, body: { error: { code: 'insufficient_quota' } } };
    const quotaSend = fakeSend({ [tenantKey]: quota });
    const rateLimitSend = fakeSend({ [tenantKey]: { status: 429, body: { error: {} } } });
    const context = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'platform',
      status: 'Active',
    });

    const afterQuota = await sendWithUpstreamKey({ ...request, context, send: quotaSend.send });
    const rateLimited = sendWithUpstreamKey({ ...request, context, send: rateLimitSend.send });

    expect(afterQuota.keySource).toBe('platform');
    await expect(rateLimited).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(rateLimitSend.sentKeys).toEqual([tenantKey]);
    expect(deactivation.deactivateTenantKey).toHaveBeenCalledTimes(1);
  });

  it('falls back when the tenant secret is unreadable', async () => {
    keys.getTenantApiKey.mockRejectedValue(new Error('ResourceNotFoundException'));
    const { send, sentKeys } = fakeSend();
    const context = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'platform',
      status: 'Active',
    });

    const result = await sendWithUpstreamKey({ ...request, context, send });

    expect(result.keySource).toBe('platform');
    expect(sentKeys).toEqual([platformKey]);
    expect(deactivation.deactivateTenantKey).not.toHaveBeenCalled();
  });

  it('rejects early for an inactive key when the plan refuses', () => {
    const refusing = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'refuse',
      status: 'Inactive',
    });
    const falling = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'platform',
      status: 'Inactive',
    });

    expect(() => checkOwnKeyAvailable(refusing)).toThrow(AppError);
    expect(() => checkOwnKeyAvailable(falling)).not.toThrow();
  });

  it('keeps the key out of errors and logs', async () => {
    const echo = { status: 500, body: { error: { message: `bad key ${tenantKey}` } } };
    const { send } = fakeSend({ [tenantKey]: echo });
    const context = contextWith({
      allowOwnKey: true,
      ownKeyFallback: 'platform',
      status: 'Active',
    });

    const error = await sendWithUpstreamKey({ ...request, context, send }).catch((e: Error) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain(tenantKey);
    const logged = JSON.stringify([
      vi.mocked(logger.warn).mock.calls,
      vi.mocked(logger.error).mock.calls,
    ]);
    expect(logged).not.toContain(tenantKey);
  });
});
