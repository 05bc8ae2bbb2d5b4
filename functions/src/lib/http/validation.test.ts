import { AppError, createPlanSchema, listQuerySchema } from '@creditgate/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES, parseJsonBody, validate } from './validation';

const validPlan = {
  name: 'Team',
  monthlyCredits: 100_000,
  seatLimit: 10,
  models: ['gpt-4o-mini'],
  maxTokensPerRequest: 200,
  requestsPerMinute: 60,
  concurrentStreams: 4,
  allowOwnKey: false,
  ownKeyRatePercent: 0,
  ownKeyFallback: 'platform',
};

/** Runs `act` and returns the `AppError` it throws, failing the test otherwise. */
function captureAppError(act: () => unknown): AppError {
  try {
    act();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('Expected an AppError, but nothing was thrown');
}

describe('validate', () => {
  it('returns parsed value', () => {
    const plan = validate(createPlanSchema, { ...validPlan, name: '  Team  ' });

    expect(plan.name).toBe('Team');
  });

  it('names nested array field', () => {
    const input = { ...validPlan, models: ['gpt-4o-mini', 'bad model!'] };

    const error = captureAppError(() => validate(createPlanSchema, input));

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.details).toEqual({
      fields: [{ field: 'models.1', message: 'must be a model id' }],
    });
  });

  it('names nested object field', () => {
    const schema = z.strictObject({
      limits: z.strictObject({ daily: z.number({ error: 'must be a number' }) }),
    });

    const error = captureAppError(() => validate(schema, { limits: { daily: 'many' } }));

    expect(error.details).toEqual({
      fields: [{ field: 'limits.daily', message: 'must be a number' }],
    });
  });

  it('names unknown keys', () => {
    const input = { ...validPlan, planId: 'pln_x', owner: 'me' };

    const error = captureAppError(() => validate(createPlanSchema, input));

    expect(error.details).toEqual({
      fields: [
        { field: 'planId', message: 'is not a known field' },
        { field: 'owner', message: 'is not a known field' },
      ],
    });
  });

  it('names nested unknown key', () => {
    const schema = z.strictObject({ limits: z.strictObject({ daily: z.number() }) });

    const error = captureAppError(() => validate(schema, { limits: { daily: 1, hourly: 2 } }));

    expect(error.details).toEqual({
      fields: [{ field: 'limits.hourly', message: 'is not a known field' }],
    });
  });

  it('reports missing field as required', () => {
    const { seatLimit: _omitted, ...input } = validPlan;

    const error = captureAppError(() => validate(createPlanSchema, input));

    expect(error.details).toEqual({ fields: [{ field: 'seatLimit', message: 'is required' }] });
    expect(error.message).toBe('seatLimit: is required');
  });

  it('reports null field by its type', () => {
    const error = captureAppError(() => validate(createPlanSchema, { ...validPlan, name: null }));

    expect(error.details).toEqual({ fields: [{ field: 'name', message: 'must be a string' }] });
  });

  it('lists every field at fault', () => {
    const input = { ...validPlan, seatLimit: 0, allowOwnKey: 'yes' };

    const error = captureAppError(() => validate(createPlanSchema, input));

    expect(error.message).toBe('seatLimit: must be at least 1; allowOwnKey: must be a boolean');
  });

  it('prefixes field names', () => {
    const error = captureAppError(() => validate(listQuerySchema, { limit: '0' }, 'query'));

    expect(error.details).toEqual({
      fields: [{ field: 'query.limit', message: 'must be at least 1' }],
    });
  });

  it('names body when input is not an object', () => {
    const error = captureAppError(() => validate(createPlanSchema, ['not', 'an', 'object']));

    expect(error.details).toMatchObject({ fields: [{ field: 'body' }] });
  });
});

describe('parseJsonBody', () => {
  it('parses JSON', () => {
    expect(parseJsonBody('{"amount":5}', false)).toEqual({ amount: 5 });
  });

  it('decodes base64 body', () => {
    const body = Buffer.from('{"amount":5}').toString('base64');

    expect(parseJsonBody(body, true)).toEqual({ amount: 5 });
  });

  it('requires a body', () => {
    const error = captureAppError(() => parseJsonBody(null, false));

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({ fields: [{ field: 'body', message: 'is required' }] });
  });

  it('requires a non-empty body', () => {
    const error = captureAppError(() => parseJsonBody('', false));

    expect(error.details).toEqual({ fields: [{ field: 'body', message: 'is required' }] });
  });

  it('rejects invalid JSON', () => {
    const error = captureAppError(() => parseJsonBody('{"amount":', false));

    expect(error.status).toBe(400);
    expect(error.details).toEqual({ fields: [{ field: 'body', message: 'must be valid JSON' }] });
  });

  it('rejects oversized body', () => {
    const body = JSON.stringify({ reason: 'x'.repeat(MAX_BODY_BYTES) });

    const error = captureAppError(() => parseJsonBody(body, false));

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({
      fields: [{ field: 'body', message: 'must be at most 65536 bytes' }],
    });
  });

  it('counts size in UTF-8 bytes', () => {
    // 30,000 three-byte characters are 90,000 bytes but only 30,000 UTF-16 code units.
    const body = JSON.stringify({ reason: '€'.repeat(30_000) });

    const error = captureAppError(() => parseJsonBody(body, false));

    expect(error.message).toBe('body: must be at most 65536 bytes');
  });

  it('accepts body at the size limit', () => {
    const padding = MAX_BODY_BYTES - JSON.stringify({ reason: '' }).length;
    const body = JSON.stringify({ reason: 'x'.repeat(padding) });

    const parsed = parseJsonBody(body, false) as { reason: string };

    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect(parsed.reason).toHaveLength(padding);
  });

  it('checks size after base64 decoding', () => {
    const text = JSON.stringify({ reason: 'x'.repeat(MAX_BODY_BYTES) });
    const body = Buffer.from(text).toString('base64');

    const error = captureAppError(() => parseJsonBody(body, true));

    expect(error.message).toBe('body: must be at most 65536 bytes');
  });
});
