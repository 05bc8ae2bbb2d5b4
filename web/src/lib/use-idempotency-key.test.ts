// @vitest-environment happy-dom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { useIdempotencyKey } from './use-idempotency-key';

function setup() {
  const { result } = renderHook(() => useIdempotencyKey());
  const keys: string[] = [];
  const send = (body: unknown, error?: Error) =>
    result.current
      .send(body, async (key) => {
        keys.push(key);
        if (error) throw error;
        return 'ok';
      })
      .catch(() => 'failed');
  return { keys, send };
}

describe('useIdempotencyKey', () => {
  it('reuses the key after a network failure', async () => {
    const { keys, send } = setup();

    await send({ amount: 5 }, new TypeError('Failed to fetch'));
    await send({ amount: 5 });

    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('reuses the key while the first is in progress', async () => {
    const { keys, send } = setup();

    await send({ amount: 5 }, new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'Still running'));
    await send({ amount: 5 });

    expect(keys[1]).toBe(keys[0]);
  });

  it('takes a new key after a refusal', async () => {
    const { keys, send } = setup();

    await send({ amount: 5 }, new ApiError(409, 'POOL_INSUFFICIENT', 'The pool has 3 credits'));
    await send({ amount: 5 });

    expect(keys[1]).not.toBe(keys[0]);
  });

  it('takes a new key for another body', async () => {
    const { keys, send } = setup();

    await send({ amount: 5 }, new TypeError('Failed to fetch'));
    await send({ amount: 6 });

    expect(keys[1]).not.toBe(keys[0]);
  });

  it('takes a new key after a success', async () => {
    const { keys, send } = setup();

    await send({ amount: 5 });
    await send({ amount: 5 });

    expect(keys[1]).not.toBe(keys[0]);
  });
});
