import { AppError, type TenantKeyView, validationError } from '@creditgate/shared';
import { type Actor, systemActor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { logger } from '../lib/logger';
import { emailTenantAdmins } from '../notifications/mailer';
import { getPlan } from '../plans/plans.repository';
import type { TenantRecord } from '../tenants/tenant.model';
import { getTenant } from '../tenants/tenants.repository';
import { findKeyProblem } from './openai-keys.client';
import { deleteTenantKeySecret, storeTenantKey } from './tenant-key-secret.repository';
import {
  markTenantKeyInactive,
  recordTenantKeyRemoved,
  recordTenantKeySet,
} from './tenant-key-state.repository';

/** Audit target id of every change to a tenant's own key. */
const TENANT_KEY_TARGET = 'tenant-ai-key';

/** Prefix of `findKeyProblem`'s message when upstream returned 401 or 403 for the key. */
const REJECTED_KEY_PREFIX = 'The AI provider rejected the key';

/**
 * Returns which key serves the tenant's calls, never any part of the key. A stored key counts
 * only while the plan allows own keys, as the proxy uses it only then.
 */
export async function getTenantKeyStatus(tenantId: string): Promise<TenantKeyView> {
  const tenant = await requireTenant(tenantId);
  if (!tenant.ownKey) return { source: 'platform', status: 'Active' };
  const plan = await getPlan(tenant.planId);
  if (!plan?.allowOwnKey) return { source: 'platform', status: 'Active' };
  return { source: 'tenant', status: tenant.ownKey.status };
}

/**
 * Sets the tenant's own key. The plan must allow own keys (else 403 `FORBIDDEN`), and
 * upstream must accept the key on `GET /models` (else 400 `VALIDATION_FAILED` on `apiKey`,
 * with nothing changed). The key goes to the tenant's secret, then the tenant turns Active.
 */
export async function setTenantKey(options: {
  tenantId: string;
  actor: Actor;
  apiKey: string;
}): Promise<TenantKeyView> {
  const tenant = await requireTenant(options.tenantId);
  const plan = await getPlan(tenant.planId);
  if (!plan?.allowOwnKey) {
    throw new AppError(
      'FORBIDDEN',
      "The tenant's plan does not allow its own AI key; ask for a plan with allowOwnKey",
    );
  }

  const problem = await findKeyProblem(options.apiKey);
  if (problem?.startsWith(REJECTED_KEY_PREFIX)) {
    throw validationError([{ field: 'apiKey', message: `was rejected by the AI provider` }]);
  }
  if (problem) {
    // Upstream failed or could not be reached: the key may be fine, so it is not called invalid.
    throw new AppError('UPSTREAM_ERROR', `The key could not be tested: ${problem}; try again`);
  }

  await storeTenantKey(options.tenantId, options.apiKey);
  await recordTenantKeySet({
    tenantId: options.tenantId,
    setAt: new Date().toISOString(),
    audit: newAuditEntry({
      actor: options.actor,
      tenantId: options.tenantId,
      action: 'key.update',
      targetType: 'key',
      targetId: TENANT_KEY_TARGET,
      details: { change: 'set', source: 'tenant' },
    }),
  });
  logger.info('Tenant key set', { tenant_id: options.tenantId });
  return { source: 'tenant', status: 'Active' };
}

/**
 * Removes the tenant's own key, so its calls use the platform key again. The secret is
 * scheduled for deletion with a recovery window. 404 `NOT_FOUND` when no key is set.
 */
export async function removeTenantKey(options: {
  tenantId: string;
  actor: Actor;
}): Promise<TenantKeyView> {
  const tenant = await requireTenant(options.tenantId);
  if (!tenant.ownKey) throw new AppError('NOT_FOUND', 'This tenant has no AI key of its own');

  // The state goes first, so no call reads a secret that is being deleted.
  await recordTenantKeyRemoved({
    tenantId: options.tenantId,
    setAt: tenant.ownKey.setAt,
    now: new Date().toISOString(),
    audit: newAuditEntry({
      actor: options.actor,
      tenantId: options.tenantId,
      action: 'key.update',
      targetType: 'key',
      targetId: TENANT_KEY_TARGET,
      details: { change: 'remove', source: 'platform' },
    }),
  });
  await deleteTenantKeySecret(options.tenantId);
  logger.info('Tenant key removed', { tenant_id: options.tenantId });
  return { source: 'platform', status: 'Active' };
}

/**
 * Marks the tenant key stored at `setAt` Inactive after upstream rejected it, and emails the
 * tenant's admins. Of concurrent calls that see the failure, only one wins the conditional
 * update, so each deactivation is logged, audited and emailed once.
 */
export async function deactivateTenantKey(input: {
  tenantId: string;
  setAt: string;
  upstreamStatus: number;
  requestId: string;
}): Promise<void> {
  const isChanged = await markTenantKeyInactive({
    tenantId: input.tenantId,
    setAt: input.setAt,
    now: new Date().toISOString(),
    audit: newAuditEntry({
      actor: systemActor(input.requestId),
      tenantId: input.tenantId,
      action: 'key.update',
      targetType: 'key',
      targetId: TENANT_KEY_TARGET,
      details: { change: 'deactivate', upstreamStatus: input.upstreamStatus },
    }),
  });
  if (!isChanged) return;
  logger.warn('Tenant key failed upstream and is now Inactive', {
    tenant_id: input.tenantId,
    upstream_status: input.upstreamStatus,
  });
  try {
    await emailAdmins(input.tenantId, input.upstreamStatus);
  } catch (error) {
    logger.error('Email about the inactive tenant key failed', {
      tenant_id: input.tenantId,
      error: error as Error,
    });
  }
}

async function emailAdmins(tenantId: string, upstreamStatus: number): Promise<void> {
  const reason =
    upstreamStatus === 429 ? 'its quota is exhausted' : 'the key was rejected as invalid';
  await emailTenantAdmins(tenantId, {
    subject: 'Your OpenAI key on Creditgate is inactive',
    body:
      `The AI provider refused your organization's OpenAI key (HTTP ${upstreamStatus}): ${reason}. ` +
      'Creditgate marked the key inactive. Depending on your plan, AI calls now use the ' +
      'platform key or are rejected. Set a new key under AI key settings to use your own again.',
  });
}

async function requireTenant(tenantId: string): Promise<TenantRecord> {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  return tenant;
}
