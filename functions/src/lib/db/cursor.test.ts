import { AppError } from '@creditgate/shared';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';
import { keys, tenantPartition } from './keys';

const partitionA = tenantPartition('tnt_A');
const partitionB = tenantPartition('tnt_B');

/** Encodes a cursor body by hand, as a client that edits a cursor would. */
function forgeCursor(body: unknown): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Runs `decodeCursor` and returns the `AppError` it throws, failing the test otherwise. */
function captureDecodeError(partition: string, cursor: string): AppError {
  try {
    decodeCursor(partition, cursor);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('Expected decodeCursor to throw');
}

describe('cursor', () => {
  it('round trips last key', () => {
    const lastKey = { ...keys.user('tnt_A', '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b') };

    const cursor = encodeCursor(partitionA, lastKey);

    expect(cursor).not.toBeNull();
    expect(decodeCursor(partitionA, cursor as string)).toEqual(lastKey);
  });

  it('round trips index key', () => {
    const lastKey = {
      pk: partitionA,
      sk: 'LEDGER#01J',
      gsi1pk: 'TENANT#tnt_A#USER#u1#LEDGER',
      gsi1sk: 'LEDGER#01J',
    };

    const cursor = encodeCursor(lastKey.gsi1pk, lastKey) as string;

    expect(decodeCursor(lastKey.gsi1pk, cursor)).toEqual(lastKey);
  });

  it('encodes last page as null', () => {
    expect(encodeCursor(partitionA, undefined)).toBeNull();
  });

  it('decodes missing cursor as first page', () => {
    expect(decodeCursor(partitionA, undefined)).toBeUndefined();
  });

  it('is base64url text', () => {
    const cursor = encodeCursor(partitionA, { pk: partitionA, sk: 'USER#??>>' }) as string;

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects cursor of another partition', () => {
    const cursor = encodeCursor(partitionB, { pk: partitionB, sk: 'USER#x' }) as string;

    const error = captureDecodeError(partitionA, cursor);

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({
      fields: [{ field: 'cursor', message: 'is invalid or belongs to another list' }],
    });
  });

  it('rejects cursor labelled for another partition', () => {
    // The start key lies in the listed partition, but the cursor came from another list.
    const cursor = forgeCursor({ p: partitionB, k: { pk: partitionA, sk: 'USER#x' } });

    expect(captureDecodeError(partitionA, cursor).code).toBe('VALIDATION_FAILED');
  });

  it('rejects key outside partition', () => {
    // The partition label matches, but the start key points into another tenant.
    const cursor = forgeCursor({ p: partitionA, k: { pk: partitionB, sk: 'USER#x' } });

    expect(captureDecodeError(partitionA, cursor).code).toBe('VALIDATION_FAILED');
  });

  it('rejects garbage', () => {
    expect(captureDecodeError(partitionA, 'not a cursor!').code).toBe('VALIDATION_FAILED');
  });

  it('rejects JSON that is not an object', () => {
    expect(captureDecodeError(partitionA, forgeCursor('text')).code).toBe('VALIDATION_FAILED');
    expect(captureDecodeError(partitionA, forgeCursor(null)).code).toBe('VALIDATION_FAILED');
  });

  it('rejects missing key', () => {
    const cursor = forgeCursor({ p: partitionA });

    expect(captureDecodeError(partitionA, cursor).code).toBe('VALIDATION_FAILED');
  });

  it('rejects non-string key values', () => {
    const cursor = forgeCursor({ p: partitionA, k: { pk: partitionA, sk: { S: 'USER#x' } } });

    expect(captureDecodeError(partitionA, cursor).code).toBe('VALIDATION_FAILED');
  });

  it('rejects numeric key value', () => {
    const cursor = forgeCursor({ p: partitionA, k: { pk: partitionA, sk: 7 } });

    expect(captureDecodeError(partitionA, cursor).code).toBe('VALIDATION_FAILED');
  });

  it('rejects more than four key attributes', () => {
    const cursor = forgeCursor({
      p: partitionA,
      k: { pk: partitionA, sk: 'a', gsi1pk: 'b', gsi1sk: 'c', extra: 'd' },
    });

    expect(captureDecodeError(partitionA, cursor).code).toBe('VALIDATION_FAILED');
  });
});
