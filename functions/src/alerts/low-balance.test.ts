import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newUserId, tenantA, tenantB, unitTestEnv } from '../../test/factories';
import { emailTenantAdmins } from '../notifications/mailer';
import type { AlertSettings } from './alert-settings';
import { alertIfLow } from './low-balance';

vi.mock('../notifications/mailer', () => ({ emailTenantAdmins: vi.fn(async () => undefined) }));

const ddbMock = mockClient(DynamoDBDocumentClient);
const settings: AlertSettings = { poolThreshold: 500, userThreshold: 100, updatedAt: null };
const conditionFailed = Object.assign(new Error('The conditional request failed'), {
  name: 'ConditionalCheckFailedException',
});

/** Sort keys of the claim items written so far. */
const claimedKeys = () =>
  ddbMock.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.sk as string);

describe('alertIfLow', () => {
  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', unitTestEnv.TABLE_NAME);
    vi.stubEnv('AWS_REGION', unitTestEnv.AWS_REGION);
    vi.useFakeTimers({ toFake: ['Date'] });
    ddbMock.reset();
    ddbMock.on(PutCommand).resolves({});
    vi.mocked(emailTenantAdmins).mockClear();
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('claims the month once and emails the admins once', async () => {
    vi.setSystemTime(new Date('2026-11-30T23:59:00.000Z'));
    await alertIfLow(tenantA, settings, { kind: 'pool', balance: 499 });
    await alertIfLow(tenantA, settings, { kind: 'pool', balance: 10 });

    expect(claimedKeys()).toEqual(['LOW_BALANCE#2026-11#POOL#500']);
    expect(emailTenantAdmins).toHaveBeenCalledTimes(1);
    expect(vi.mocked(emailTenantAdmins).mock.calls[0]?.[1].body).toContain('499 credits');
  });

  it('alerts again in the next UTC month', async () => {
    vi.setSystemTime(new Date('2026-11-30T23:59:59.999Z'));
    await alertIfLow(tenantB, settings, { kind: 'pool', balance: 1 });
    vi.setSystemTime(new Date('2026-12-01T00:00:00.000Z'));
    await alertIfLow(tenantB, settings, { kind: 'pool', balance: 1 });

    expect(claimedKeys()).toEqual(['LOW_BALANCE#2026-11#POOL#500', 'LOW_BALANCE#2026-12#POOL#500']);
    expect(emailTenantAdmins).toHaveBeenCalledTimes(2);
  });

  it('sends nothing when another instance claimed the alert first', async () => {
    vi.setSystemTime(new Date('2027-01-15T00:00:00.000Z'));
    ddbMock.on(PutCommand).rejects(conditionFailed);
    const userId = newUserId();
    await alertIfLow(tenantA, settings, { kind: 'user', userId, email: 'a@x.test', balance: 5 });
    // The refused claim is remembered: no second write for the same alert.
    await alertIfLow(tenantA, settings, { kind: 'user', userId, email: 'a@x.test', balance: 4 });

    expect(claimedKeys()).toEqual([`LOW_BALANCE#2027-01#USER#${userId}#100`]);
    expect(emailTenantAdmins).not.toHaveBeenCalled();
  });

  it('treats a new threshold as a new alert', async () => {
    vi.setSystemTime(new Date('2027-02-10T00:00:00.000Z'));
    await alertIfLow(tenantA, settings, { kind: 'pool', balance: 50 });
    await alertIfLow(tenantA, { ...settings, poolThreshold: 60 }, { kind: 'pool', balance: 50 });

    expect(claimedKeys()).toEqual(['LOW_BALANCE#2027-02#POOL#500', 'LOW_BALANCE#2027-02#POOL#60']);
    expect(emailTenantAdmins).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['at the threshold', settings, 500],
    ['above the threshold', settings, 501],
    ['with the alert off', { ...settings, poolThreshold: null }, 0],
    ['without settings', undefined, 0],
  ])('writes and sends nothing %s', async (_case, given, balance) => {
    vi.setSystemTime(new Date('2027-03-10T00:00:00.000Z'));
    await alertIfLow(tenantA, given, { kind: 'pool', balance });

    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
    expect(emailTenantAdmins).not.toHaveBeenCalled();
  });

  it('logs a failed claim instead of failing the caller', async () => {
    vi.setSystemTime(new Date('2027-04-10T00:00:00.000Z'));
    ddbMock.on(PutCommand).rejects(new Error('Throughput exceeded'));

    await expect(alertIfLow(tenantA, settings, { kind: 'pool', balance: 1 })).resolves.toBe(
      undefined,
    );
    expect(emailTenantAdmins).not.toHaveBeenCalled();
  });
});
