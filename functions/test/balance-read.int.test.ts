import { newRequestId } from '@creditgate/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack, type TestStack } from '../../infra/local/testing/test-stack';
import { closeHold, type Hold, placeHold, prepareBalanceRead } from '../src/ai/holds.repository';
import { createFundedMember } from './ai-call-checks';
import { stubRepositoryEnv } from './stack-env';

/**
 * The receipt's prepared balance read against DynamoDB Local: built while a hold is in
 * flight, it must reach DynamoDB only when sent, so that its balance includes the hold.
 */
const USER_CREDITS = 10_000;

describe('prepared balance read', () => {
  let stack: TestStack;
  let tenantId: string;
  let userId: string;

  const newHold = (amount: number): Hold => {
    const now = Date.now();
    return {
      tenantId,
      userId,
      requestId: newRequestId(),
      amount,
      model: 'gpt-4o-mini',
      holdExpiresAt: now + 600_000,
      createdAt: new Date(now).toISOString(),
    };
  };
  const release = (hold: Hold) =>
    closeHold({
      hold,
      charge: 0,
      entry: {
        tenantId,
        userId,
        requestId: hold.requestId,
        actorId: userId,
        createdAt: new Date().toISOString(),
      },
    });

  beforeAll(async () => {
    stack = await startTestStack();
    ({ tenantId, userId } = await createFundedMember(stack, {
      name: 'Readco',
      credits: USER_CREDITS,
    }));
    // The repository below writes to and reads from this stack's DynamoDB Local.
    stubRepositoryEnv(stack.info);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await stack?.stop();
  });

  it('reads only once sent', async () => {
    const read = await prepareBalanceRead({ tenantId, userId }, Promise.resolve());
    // Time for the SDK to build and sign the read, which then waits to be sent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const hold = newHold(250);
    await placeHold(hold);
    try {
      const owner = await read.send();
      expect(owner).toEqual({ balance: USER_CREDITS - 250, email: 'member@readco.test' });
    } finally {
      await release(hold);
    }
  });

  it('sends once however often called', async () => {
    const read = await prepareBalanceRead({ tenantId, userId }, Promise.resolve());
    const first = read.send();
    const hold = newHold(100);
    await first;
    await placeHold(hold);
    try {
      expect(read.send()).toBe(first);
      expect((await read.send())?.balance).toBe(USER_CREDITS);
    } finally {
      await release(hold);
    }
  });

  it('cancelled read gives no balance', async () => {
    const read = await prepareBalanceRead({ tenantId, userId }, Promise.resolve());
    read.cancel();
    expect(await read.send()).toBeUndefined();
  });

  it('failed hold rejects with its error', async () => {
    const holdError = new Error('Hold rejected');
    await expect(prepareBalanceRead({ tenantId, userId }, Promise.reject(holdError))).rejects.toBe(
      holdError,
    );
  });
});
