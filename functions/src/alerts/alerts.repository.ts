import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { cancellationCodes } from '../lib/db/errors';
import { keys } from '../lib/db/keys';
import type { AlertSettings } from './alert-settings';

/** Days a sent-alert record is kept: past the end of its month, then TTL removes it. */
const SENT_RECORD_DAYS = 62;

/** Stores a tenant's alert settings on its record, with the audit entry, in one transaction. */
export async function saveAlertSettings(input: {
  tenantId: string;
  settings: AlertSettings;
  audit: AuditEntry;
}): Promise<void> {
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: getTableName(),
              Key: keys.tenant(input.tenantId),
              UpdateExpression: 'SET alerts = :alerts',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':alerts': input.settings },
            },
          },
          auditPut(input.audit),
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')
      throw new AppError('NOT_FOUND', 'Tenant not found', { cause: error });
    throw error;
  }
}

/**
 * Records that the low-balance email of one subject and threshold went out this month.
 * Returns false when it already had, so concurrent and repeated crossings email once.
 */
export async function claimLowBalanceAlert(input: {
  tenantId: string;
  month: string;
  subject: string;
  threshold: number;
  balance: number;
}): Promise<boolean> {
  try {
    await getDocumentClient().send(
      new PutCommand({
        TableName: getTableName(),
        Item: {
          ...keys.lowBalanceAlert(input.tenantId, input.month, input.subject, input.threshold),
          entityType: 'LowBalanceAlert',
          tenantId: input.tenantId,
          subject: input.subject,
          threshold: input.threshold,
          balance: input.balance,
          sentAt: new Date().toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) + SENT_RECORD_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
