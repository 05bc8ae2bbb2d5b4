import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, type UpdatePlanInput } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { cancellationCodes, cancellationItem } from '../lib/db/errors';
import { keys } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';
import type { PlanRecord } from './plan.model';

const PLAN_ENTITY = 'Plan';

/** Writes a new plan with its audit entry. */
export async function putNewPlan(plan: PlanRecord, audit: AuditEntry): Promise<void> {
  await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: getTableName(),
          Item: { ...keys.plan(plan.planId), entityType: PLAN_ENTITY, ...plan },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(audit),
    ],
  });
}

export async function getPlan(planId: string): Promise<PlanRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({ TableName: getTableName(), Key: keys.plan(planId), ConsistentRead: true }),
  );
  return result.Item as PlanRecord | undefined;
}

export async function listPlans(page: { limit?: number; cursor?: string }) {
  const partition = keys.planPrefix.pk;
  const scope = { partition, sortKeyPrefix: keys.planPrefix.skPrefix };
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.planPrefix.skPrefix },
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
    }),
  );
  return {
    items: (result.Items ?? []) as PlanRecord[],
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

/** Applies a partial update to an existing plan with its audit entry and returns the new record. */
export async function updatePlan(
  planId: string,
  changes: UpdatePlanInput,
  now: string,
  audit: AuditEntry,
): Promise<PlanRecord> {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':now': now };
  const sets = entries.map(([field, value], index) => {
    names[`#f${index}`] = field;
    values[`:v${index}`] = value;
    return `#f${index} = :v${index}`;
  });
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: getTableName(),
            Key: keys.plan(planId),
            UpdateExpression: `SET ${[...sets, 'updatedAt = :now'].join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
            ExpressionAttributeValues: values,
          },
        },
        auditPut(audit),
      ],
    });
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new AppError('NOT_FOUND', 'Plan not found', { cause: error });
    }
    throw error;
  }
  return (await getPlan(planId)) as PlanRecord;
}

/**
 * Deletes a plan with its audit entry. A plan that any tenant is on (`tenantCount > 0`)
 * answers 409, and a missing one 404.
 */
export async function deletePlan(planId: string, audit: AuditEntry): Promise<void> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Delete: {
            TableName: getTableName(),
            Key: keys.plan(planId),
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(tenantCount) OR tenantCount = :zero)',
            ExpressionAttributeValues: { ':zero': 0 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        auditPut(audit),
      ],
    });
  } catch (error) {
    if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    const plan = cancellationItem(error, 0);
    if (!plan) throw new AppError('NOT_FOUND', 'Plan not found', { cause: error });
    throw new AppError(
      'CONFLICT',
      `The plan is in use by ${Number(plan.tenantCount)} tenant(s); move them to another plan first`,
      {
        cause: error,
        details: { tenantCount: Number(plan.tenantCount) },
      },
    );
  }
}
