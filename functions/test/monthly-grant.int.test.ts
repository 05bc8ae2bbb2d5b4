import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

const runFile = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '../..');

/**
 * The monthly plan credits job on a stack of its own, invoked through the Lambda Invoke API
 * with explicit months, as `npm run jobs -- grant-monthly --month` does. Roomy has room for
 * every grant, Tight's credit limit of 150,000 stops it in the second month, Free's plan
 * grants nothing and Paused is suspended.
 */
const PLAN_CREDITS = 100_000;
const months = ['2026-08', '2026-09', '2026-10'] as const;

interface GrantCounts {
  month: string;
  tenants: number;
  granted: number;
  capped: number;
  nothingGranted: number;
  alreadyGranted: number;
  failed: number;
  credits: number;
}

describe('monthly grant', () => {
  let stack: TestStack;
  let superAdmin: Session;
  const tenantIds: Record<'roomy' | 'tight' | 'free' | 'paused', string> = {
    roomy: '',
    tight: '',
    free: '',
    paused: '',
  };

  const grantMonth = async (month: string): Promise<GrantCounts> => {
    const result = await stack.invoke('grant-monthly-credits', { month });
    expect(result.functionError, JSON.stringify(result.payload)).toBeUndefined();
    return result.payload as GrantCounts;
  };
  const creditsOf = async (tenantId: string) =>
    (await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)).body;
  const poolsOf = async () => ({
    roomy: (await creditsOf(tenantIds.roomy)).poolBalance,
    tight: (await creditsOf(tenantIds.tight)).poolBalance,
    free: (await creditsOf(tenantIds.free)).poolBalance,
    paused: (await creditsOf(tenantIds.paused)).poolBalance,
  });
  const grantEntriesOf = async (tenantId: string) =>
    (
      await stack.api(superAdmin.idToken, 'GET', `/v1/tenants/${tenantId}/ledger?limit=100`)
    ).body.items.filter((entry: { type: string }) => entry.type === 'GRANT');

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ monthlyCredits: PLAN_CREDITS }),
    );
    const freePlan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ name: 'Free', monthlyCredits: 0 }),
    );
    const createTenant = async (name: string, planId: string, creditLimit: number) => {
      const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
        name,
        planId,
        adminEmail: `admin@${name.toLowerCase()}.test`,
        creditLimit,
      });
      expect(tenant.status).toBe(201);
      return tenant.body.tenantId as string;
    };
    tenantIds.roomy = await createTenant('Roomy', plan.body.planId, 1_000_000);
    tenantIds.tight = await createTenant('Tight', plan.body.planId, 150_000);
    tenantIds.free = await createTenant('Free', freePlan.body.planId, 1_000);
    tenantIds.paused = await createTenant('Paused', plan.body.planId, 1_000_000);
    const suspension = await stack.api(
      superAdmin.idToken,
      'PATCH',
      `/v1/tenants/${tenantIds.paused}`,
      { status: 'SUSPENDED' },
    );
    expect(suspension.status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('second run of a month grants nothing', async () => {
    const first = await grantMonth(months[0]);
    const second = await grantMonth(months[0]);

    expect(first).toMatchObject({
      month: months[0],
      tenants: 3,
      granted: 2,
      capped: 0,
      nothingGranted: 1,
      alreadyGranted: 0,
      failed: 0,
      credits: 2 * PLAN_CREDITS,
    });
    expect(second).toMatchObject({ tenants: 3, alreadyGranted: 3, credits: 0 });
    expect(await poolsOf()).toEqual({
      roomy: PLAN_CREDITS,
      tight: PLAN_CREDITS,
      free: 0,
      paused: 0,
    });
    expect(await grantEntriesOf(tenantIds.roomy)).toHaveLength(1);
  });

  it('concurrent runs grant next month once', async () => {
    const runs = await Promise.all([grantMonth(months[1]), grantMonth(months[1])]);

    const total = (field: keyof GrantCounts) =>
      runs.reduce((sum, run) => sum + Number(run[field]), 0);
    // Each tenant is recorded by exactly one of the two runs.
    expect(total('granted') + total('capped') + total('nothingGranted')).toBe(3);
    expect(total('alreadyGranted')).toBe(3);
    expect(total('failed')).toBe(0);
    expect(total('credits')).toBe(PLAN_CREDITS + 50_000);
    expect(await poolsOf()).toEqual({
      roomy: 2 * PLAN_CREDITS,
      tight: 150_000,
      free: 0,
      paused: 0,
    });
  });

  it('capped grant records the cut', async () => {
    const [latest] = await grantEntriesOf(tenantIds.tight);

    expect(latest).toMatchObject({
      type: 'GRANT',
      amount: 50_000,
      requested: PLAN_CREDITS,
      actorId: 'system',
      reason: `Monthly plan credits for ${months[1]}, cut from 100000 to 50000 by the credit limit`,
    });
    const roomyEntries = await grantEntriesOf(tenantIds.roomy);
    expect(roomyEntries[0].reason).toBe(`Monthly plan credits for ${months[1]}`);
    expect(roomyEntries[0]).not.toHaveProperty('requested');
  });

  it('tenant at its limit gets a zero record', async () => {
    const counts = await grantMonth(months[2]);
    const rerun = await grantMonth(months[2]);

    expect(counts).toMatchObject({
      granted: 1,
      capped: 0,
      nothingGranted: 2,
      credits: PLAN_CREDITS,
    });
    expect(rerun).toMatchObject({ alreadyGranted: 3, credits: 0 });
    expect((await poolsOf()).tight).toBe(150_000);
    expect(await grantEntriesOf(tenantIds.tight)).toHaveLength(2);
    const audit = await stack.api(
      superAdmin.idToken,
      'GET',
      `/v1/tenants/${tenantIds.tight}/audit?action=credits.monthly-grant`,
    );
    expect(audit.body.items).toHaveLength(3);
    expect(audit.body.items[0]).toMatchObject({
      actorId: 'system',
      targetId: tenantIds.tight,
      details: { month: months[2], requested: PLAN_CREDITS, granted: 0 },
    });
  });

  it('every tenant keeps the invariant', async () => {
    for (const tenantId of Object.values(tenantIds)) {
      const { granted, poolBalance, allocated, held, spent } = await creditsOf(tenantId);

      expect(poolBalance + allocated + held + spent, tenantId).toBe(granted);
    }
  });

  it('rejects invalid month', async () => {
    const result = await stack.invoke('grant-monthly-credits', { month: '2026-13' });

    expect(result.functionError).toBe('Unhandled');
    expect(JSON.stringify(result.payload)).toMatch(/YYYY-MM/);
  });

  it('npm run jobs grants a month', async () => {
    const stateDir = dirname(stack.info.outboxDir);

    const { stdout } = await runFile(
      process.execPath,
      [
        '--import',
        'tsx',
        'infra/local/jobs.ts',
        'grant-monthly',
        '--month',
        '2026-11',
        '--state-dir',
        stateDir,
      ],
      { cwd: REPO_ROOT, timeout: 60_000 },
    );

    expect(stdout).toContain('"month": "2026-11"');
    expect(stdout).toContain(`"credits": ${PLAN_CREDITS}`);
    expect((await poolsOf()).roomy).toBe(4 * PLAN_CREDITS);
  });

  it('npm run jobs rejects bad input', async () => {
    const stateDir = dirname(stack.info.outboxDir);
    const run = (args: string[]) =>
      runFile(process.execPath, ['--import', 'tsx', 'infra/local/jobs.ts', ...args], {
        cwd: REPO_ROOT,
        timeout: 60_000,
      });

    await expect(
      run(['grant-monthly', '--month', '2026-1', '--state-dir', stateDir]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Invalid --month "2026-1"'),
    });
    await expect(run(['sweep-everything', '--state-dir', stateDir])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Unknown job "sweep-everything"'),
    });
    await expect(
      run(['release-holds', '--state-dir', join(stateDir, 'missing')]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('stack.json'),
    });
  });
});
