import { AppError } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getTableName } from '../lib/db/client';
import { cancellationCodes } from '../lib/db/errors';
import { type ItemKey, keys } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';

/**
 * The state of a tenant's own key, kept on the tenant item as `ownKeyStatus` and
 * `ownKeySetAt`, so the calls' cached tenant read carries it at no extra cost.
 */

/** Records a newly stored key as Active, with its audit entry. The tenant must exist. */
export async function recordTenantKeySet(input: {
  tenantId: string;
  setAt: string;
  audit: AuditEntry;
}): Promise<void> {
  await writeWithAudit(input.audit, {
    Key: keys.tenant(input.tenantId),
    UpdateExpression: 'SET ownKeyStatus = :active, ownKeySetAt = :setAt, updatedAt = :setAt',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':active': 'Active', ':setAt': input.setAt },
  });
}

/**
 * Removes the key state with its audit entry, so calls return to the platform key. The
 * condition on `setAt` keeps a removal from erasing a key that was set in the meantime.
 */
export async function recordTenantKeyRemoved(input: {
  tenantId: string;
  setAt: string;
  now: string;
  audit: AuditEntry;
}): Promise<void> {
  await writeWithAudit(input.audit, {
    Key: keys.tenant(input.tenantId),
    UpdateExpression: 'SET updatedAt = :now REMOVE ownKeyStatus, ownKeySetAt',
    ConditionExpression: 'ownKeySetAt = :setAt',
    ExpressionAttributeValues: { ':setAt': input.setAt, ':now': input.now },
  });
}

/**
 * Marks the key stored at `setAt` Inactive with its audit entry. Returns false when another
 * call already did, or a newer key replaced it, so only one call reports each deactivation.
 */
export async function markTenantKeyInactive(input: {
  tenantId: string;
  setAt: string;
  now: string;
  audit: AuditEntry;
}): Promise<boolean> {
  try {
    await writeWithAudit(input.audit, {
      Key: keys.tenant(input.tenantId),
      UpdateExpression: 'SET ownKeyStatus = :inactive, ownKeyInactiveAt = :now',
      // Only the Active key stored at `setAt`: concurrent failures of one key race here.
      ConditionExpression: 'ownKeyStatus = :active AND ownKeySetAt = :setAt',
      ExpressionAttributeValues: {
        ':inactive': 'Inactive',
        ':active': 'Active',
        ':setAt': input.setAt,
        ':now': input.now,
      },
    });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFLICT') return false;
    throw error;
  }
}

async function writeWithAudit(
  audit: AuditEntry,
  update: {
    Key: ItemKey;
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  },
): Promise<void> {
  try {
    await transactWrite({
      TransactItems: [{ Update: { TableName: getTableName(), ...update } }, auditPut(audit)],
    });
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new AppError('CONFLICT', "The tenant's key changed while this request ran; try again", {
        cause: error,
      });
    }
    throw error;
  }
}
