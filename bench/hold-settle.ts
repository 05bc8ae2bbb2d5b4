import { cpus } from 'node:os';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newRequestId } from '@creditgate/shared';
import { closeHold, type Hold, placeHold } from '../functions/src/ai/holds.repository';
import { getDocumentClient } from '../functions/src/lib/db/client';
import { keys } from '../functions/src/lib/db/keys';
import { newPassword, planInput, startTestStack } from '../infra/local/testing/test-stack';

/**
 * Measures the credit path of an AI call on DynamoDB Local: the hold transaction before
 * upstream and the settlement transaction after it, at concurrency 1, 8 and 32, against a
 * baseline measured in the same run: one conditional UpdateItem on the same user item.
 * Counts the DynamoDB requests the two steps send.
 *
 * Usage: npm run bench:ledger -- [operations per series, default 400]
 */
const operations = Number(process.argv[2] ?? 400);
const stack = await startTestStack();

try {
  const superAdmin = await stack.signIn(
    stack.info.superAdmin.email,
    stack.info.superAdmin.password,
  );
  const plan = await stack.api(
    superAdmin.idToken,
    'POST',
    '/v1/plans',
    planInput({ seatLimit: 100 }),
  );
  const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
    name: 'Bench',
    planId: plan.body.planId,
    adminEmail: 'bench@ledger.test',
    creditLimit: 1_000_000_000_000,
  });
  const tenantId: string = tenant.body.tenantId;
  const admin = await stack.acceptInvite('bench@ledger.test', newPassword());
  await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
    amount: 1_000_000_000,
    reason: 'bench',
  });

  // Each concurrent worker uses its own user, as concurrent calls of different users would.
  const userIds: string[] = [];
  for (let index = 0; index < 32; index++) {
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: `worker${index}@ledger.test`,
      role: 'User',
    });
    await stack.api(
      admin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${invited.body.userId}/credits`,
      {
        operation: 'allocate',
        amount: 10_000_000,
      },
    );
    userIds.push(invited.body.userId);
  }

  Object.assign(process.env, {
    TABLE_NAME: stack.info.tableName,
    DYNAMODB_ENDPOINT: stack.info.dynamodbEndpoint,
    CREDITGATE_LOCAL: '1',
    AWS_REGION: stack.info.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  let requests = 0;
  getDocumentClient().middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );

  const baseline = (userId: string) =>
    getDocumentClient().send(
      new UpdateCommand({
        TableName: stack.info.tableName,
        Key: keys.user(tenantId, userId),
        UpdateExpression: 'SET lastActiveAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
  const holdAndSettle = async (userId: string) => {
    const now = Date.now();
    const hold: Hold = {
      tenantId,
      userId,
      requestId: newRequestId(),
      amount: 100,
      model: 'gpt-4o-mini',
      holdExpiresAt: now + 600_000,
      createdAt: new Date(now).toISOString(),
      limits: { requestsPerMinute: 1_000_000, concurrentCalls: 1_000 },
    };
    const started = performance.now();
    await placeHold(hold);
    const held = performance.now();
    await closeHold({
      hold,
      charge: 40,
      entry: {
        tenantId,
        userId,
        requestId: hold.requestId,
        model: hold.model,
        actorId: userId,
        createdAt: new Date().toISOString(),
      },
    });
    return { hold: held - started, settle: performance.now() - held };
  };

  console.log(`Hold and settle on DynamoDB Local, ${operations} operations per series`);
  console.log(
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  console.log('series                       concurrency   ops/s   p50 ms   p99 ms');
  for (const concurrency of [1, 8, 32]) {
    const baselineTimes = await run(concurrency, async (worker) => {
      const started = performance.now();
      await baseline(userIds[worker] as string);
      return performance.now() - started;
    });
    print('baseline UpdateItem', concurrency, baselineTimes);

    const holdTimes: number[] = [];
    const settleTimes: number[] = [];
    const cycleTimes = await run(concurrency, async (worker) => {
      const times = await holdAndSettle(userIds[worker] as string);
      holdTimes.push(times.hold);
      settleTimes.push(times.settle);
      return times.hold + times.settle;
    });
    print('hold', concurrency, holdTimes, cycleTimes.wallMs);
    print('settle', concurrency, settleTimes, cycleTimes.wallMs);
    print('hold + settle', concurrency, cycleTimes);
  }

  requests = 0;
  await holdAndSettle(userIds[0] as string);
  console.log(
    `DynamoDB requests per call: ${requests} (1 hold transaction before upstream, 1 settlement after).`,
  );
  console.log('The proxy also reads the balance once while upstream works, off the client path.');
} finally {
  await stack.stop();
}

type Timed = number[] & { wallMs: number };

/** Runs `operations` operations, `concurrency` at a time, and returns each one's time. */
async function run(
  concurrency: number,
  operation: (worker: number) => Promise<number>,
): Promise<Timed> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < operations) {
        next++;
        times.push(await operation(worker));
      }
    }),
  );
  return Object.assign(times, { wallMs: performance.now() - started });
}

function print(
  name: string,
  concurrency: number,
  times: number[],
  wallMs = (times as Timed).wallMs,
) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  const rate = (times.length / wallMs) * 1000;
  console.log(
    `${name.padEnd(28)} ${String(concurrency).padStart(11)} ${rate.toFixed(0).padStart(7)} ${at(0.5).toFixed(1).padStart(8)} ${at(0.99).toFixed(1).padStart(8)}`,
  );
}
