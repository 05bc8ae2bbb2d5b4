import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * Tests credit requests (a member requests credits, and an admin approves them with an
 * allocation or denies them) and low-balance alerts (one email per threshold, balance owner
 * and month) on DynamoDB Local and cognito-local, reading emails from the local outbox.
 */
describe('credit requests and low-balance alerts', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let member: Session;
  let memberId: string;
  let tenantId: string;
  let otherTenantId: string;
  let otherAdmin: Session;
  const adminEmail = 'boss@requests.test';
  const memberEmail = 'asker@requests.test';

  const requestsPath = () => `/v1/tenants/${tenantId}/credit-requests`;
  const ask = (session: Session, amount: number, reason = 'Quarterly report drafts') =>
    stack.api(session.idToken, 'POST', requestsPath(), { amount, reason });
  const credits = async () =>
    (await stack.api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/credits`)).body;
  const balanceOf = async (session: Session) =>
    (await stack.api(session.idToken, 'GET', '/v1/me')).body.balance as number;
  const emailsTo = async (to: string, subjectPart: string) =>
    (await stack.readOutbox(to)).filter((email) => email.subject.includes(subjectPart));

  const createTenant = async (name: string, email: string) => {
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name,
      planId: plan.body.planId,
      adminEmail: email,
      creditLimit: 10_000_000,
    });
    return tenant.body.tenantId as string;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    tenantId = await createTenant('Requests', adminEmail);
    admin = await stack.acceptInvite(adminEmail, newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 10_000,
      reason: 'Start',
    });
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: memberEmail,
      role: 'User',
    });
    memberId = invited.body.userId;
    member = await stack.acceptInvite(memberEmail, newPassword());
    otherTenantId = await createTenant('Elsewhere', 'boss@elsewhere.test');
    otherAdmin = await stack.acceptInvite('boss@elsewhere.test', newPassword());
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lets a member ask and tells the admins', async () => {
    const created = await ask(member, 700, 'Customer pilot');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userId: memberId,
      email: memberEmail,
      amount: 700,
      reason: 'Customer pilot',
      status: 'PENDING',
      decidedAt: null,
      decidedBy: null,
      note: null,
    });
    expect(created.body.requestId).toMatch(/^crq_/);
    const [email] = await emailsTo(adminEmail, 'asks for 700 credits');
    expect(email?.body).toContain('Customer pilot');
  });

  it('shows a member only their own requests and the admins all, newest first', async () => {
    const fromAdmin = await ask(admin, 50, 'Admin experiments');
    expect(fromAdmin.status).toBe(201);

    const own = await stack.api(member.idToken, 'GET', requestsPath());
    expect(own.status).toBe(200);
    expect(own.body.items.every((item: { userId: string }) => item.userId === memberId)).toBe(true);
    expect(own.body.items.length).toBeGreaterThan(0);

    const all = await stack.api(admin.idToken, 'GET', `${requestsPath()}?status=PENDING`);
    const ids = all.body.items.map((item: { requestId: string }) => item.requestId);
    expect(ids[0]).toBe(fromAdmin.body.requestId);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(all.body.items.some((item: { userId: string }) => item.userId === memberId)).toBe(true);
  });

  it('approves with an allocation in one step, ledger, audit and email included', async () => {
    const request = (await ask(member, 1_200)).body;
    const before = await credits();
    const balanceBefore = await balanceOf(member);

    const approved = await stack.api(
      admin.idToken,
      'POST',
      `${requestsPath()}/${request.requestId}/approval`,
      { note: 'Go ahead' },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.request).toMatchObject({
      requestId: request.requestId,
      status: 'APPROVED',
      decidedBy: adminEmail,
      note: 'Go ahead',
    });
    expect(approved.body.userBalance).toBe(balanceBefore + 1_200);
    expect(approved.body.poolBalance).toBe(before.poolBalance - 1_200);
    expect(await balanceOf(member)).toBe(balanceBefore + 1_200);

    const ledger = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/ledger?userId=${memberId}`,
    );
    const entry = ledger.body.items.find(
      (item: { creditRequestId?: string }) => item.creditRequestId === request.requestId,
    );
    expect(entry).toMatchObject({ type: 'ALLOCATE', amount: 1_200, userId: memberId });
    const audit = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/audit?action=credit-request.approve`,
    );
    expect(audit.body.items[0]).toMatchObject({ targetId: request.requestId });
    const [email] = await emailsTo(memberEmail, 'was approved');
    expect(email?.body).toContain('Go ahead');
    await stack.expectLedgerConsistent();
  });

  it('denies with a ledger entry that moves nothing', async () => {
    const request = (await ask(member, 300)).body;
    const before = await credits();
    const denied = await stack.api(
      admin.idToken,
      'POST',
      `${requestsPath()}/${request.requestId}/denial`,
      { note: 'Budget is spent for this quarter' },
    );
    expect(denied.status).toBe(200);
    expect(denied.body.request).toMatchObject({ status: 'DENIED', decidedBy: adminEmail });
    expect(await credits()).toEqual(before);

    const ledger = await stack.api(
      admin.idToken,
      'GET',
      `/v1/tenants/${tenantId}/ledger?type=REQUEST_DENIED`,
    );
    expect(ledger.body.items[0]).toMatchObject({
      creditRequestId: request.requestId,
      amount: 300,
      userId: memberId,
    });
    expect((await emailsTo(memberEmail, 'was denied')).length).toBe(1);
    await stack.expectLedgerConsistent();
  });

  it('decides a request once, also when two admins decide at the same time', async () => {
    const request = (await ask(member, 100)).body;
    const path = `${requestsPath()}/${request.requestId}`;
    const before = await credits();
    const answers = await Promise.all([
      stack.api(admin.idToken, 'POST', `${path}/approval`, {}),
      stack.api(superAdmin.idToken, 'POST', `${path}/approval`, {}),
      stack.api(admin.idToken, 'POST', `${path}/denial`, {}),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('CONFLICT');
    }
    const winner = answers.find((answer) => answer.status === 200)?.body.request.status;
    const after = await credits();
    expect(after.poolBalance).toBe(before.poolBalance - (winner === 'APPROVED' ? 100 : 0));
    await stack.expectLedgerConsistent();
  });

  it('refuses an approval the pool cannot cover and writes nothing', async () => {
    const request = (await ask(member, 1_000_000)).body;
    const before = await credits();
    const refused = await stack.api(
      admin.idToken,
      'POST',
      `${requestsPath()}/${request.requestId}/approval`,
      {},
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('POOL_INSUFFICIENT');
    expect(await credits()).toEqual(before);
    const listed = await stack.api(admin.idToken, 'GET', `${requestsPath()}?status=PENDING`);
    expect(
      listed.body.items.some((item: { requestId: string }) => item.requestId === request.requestId),
    ).toBe(true);
    // Deny it, so the member's pending count is back to what the next test expects.
    await stack.api(admin.idToken, 'POST', `${requestsPath()}/${request.requestId}/denial`, {});
  });

  it('caps pending requests per member at 3', async () => {
    const pending = await stack.api(member.idToken, 'GET', `${requestsPath()}?status=PENDING`);
    const open = pending.body.items.length as number;
    for (let index = open; index < 3; index++) expect((await ask(member, 10)).status).toBe(201);
    const fourth = await ask(member, 10);
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('CONFLICT');
    expect(fourth.body.error.message).toContain('3 pending');
    const after = await stack.api(member.idToken, 'GET', `${requestsPath()}?status=PENDING`);
    expect(after.body.items).toHaveLength(3);
    for (const item of after.body.items as { requestId: string }[]) {
      await stack.api(admin.idToken, 'POST', `${requestsPath()}/${item.requestId}/denial`, {});
    }
    expect((await ask(member, 10)).status).toBe(201);
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ amount: 0, reason: 'x' }, 'amount'],
      [{ amount: 1.5, reason: 'x' }, 'amount'],
      [{ amount: 1_000_000_000_001, reason: 'x' }, 'amount'],
      [{ amount: 10, reason: '   ' }, 'reason'],
      [{ amount: 10, reason: 'x'.repeat(501) }, 'reason'],
      [{ amount: 10 }, 'reason'],
      [{ amount: 10, reason: 'x', userId: memberId }, 'userId'],
    ];
    const before = await stack.api(admin.idToken, 'GET', requestsPath());
    for (const [body, field] of cases) {
      const response = await stack.api(member.idToken, 'POST', requestsPath(), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.message).toContain(field);
    }
    const after = await stack.api(admin.idToken, 'GET', requestsPath());
    expect(after.body.items).toEqual(before.body.items);

    const badStatus = await stack.api(admin.idToken, 'GET', `${requestsPath()}?status=OPEN`);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toContain('status');
    const badId = await stack.api(admin.idToken, 'POST', `${requestsPath()}/req_1/approval`, {});
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toContain('requestId');
  });

  it('keeps requests inside their tenant', async () => {
    const request = (await ask(member, 25)).body;

    // Another tenant's admin names this tenant in the path: 404, as for a missing tenant.
    const listed = await stack.api(otherAdmin.idToken, 'GET', requestsPath());
    expect(listed.status).toBe(404);

    // Or names their own tenant with this tenant's request id: 404, nothing decided.
    for (const decision of ['approval', 'denial']) {
      const response = await stack.api(
        otherAdmin.idToken,
        'POST',
        `/v1/tenants/${otherTenantId}/credit-requests/${request.requestId}/${decision}`,
        {},
      );
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    const own = await stack.api(
      otherAdmin.idToken,
      'GET',
      `/v1/tenants/${otherTenantId}/credit-requests`,
    );
    expect(own.body.items).toEqual([]);

    // A member cannot decide, not even their own request.
    const self = await stack.api(
      member.idToken,
      'POST',
      `${requestsPath()}/${request.requestId}/approval`,
      {},
    );
    expect(self.status).toBe(403);

    const still = await stack.api(admin.idToken, 'GET', `${requestsPath()}?status=PENDING`);
    expect(
      still.body.items.some((item: { requestId: string }) => item.requestId === request.requestId),
    ).toBe(true);
  });

  describe('low-balance alerts', () => {
    const alertsPath = () => `/v1/tenants/${tenantId}/alerts`;

    it('starts off, and takes both thresholds with an audit entry', async () => {
      const initial = await stack.api(admin.idToken, 'GET', alertsPath());
      expect(initial.body).toEqual({ poolThreshold: null, userThreshold: null, updatedAt: null });
      const member403 = await stack.api(member.idToken, 'GET', alertsPath());
      expect(member403.status).toBe(403);

      const before = await credits();
      const saved = await stack.api(admin.idToken, 'PUT', alertsPath(), {
        poolThreshold: before.poolBalance - 500,
        userThreshold: 400,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({
        poolThreshold: before.poolBalance - 500,
        userThreshold: 400,
      });
      expect(saved.body.updatedAt).toEqual(expect.any(String));
      expect((await stack.api(admin.idToken, 'GET', alertsPath())).body).toEqual(saved.body);
      const audit = await stack.api(
        admin.idToken,
        'GET',
        `/v1/tenants/${tenantId}/audit?action=alerts.update`,
      );
      expect(audit.body.items).toHaveLength(1);
    });

    it('rejects invalid thresholds naming the field', async () => {
      const before = (await stack.api(admin.idToken, 'GET', alertsPath())).body;
      for (const [body, field] of [
        [{ poolThreshold: -1, userThreshold: null }, 'poolThreshold'],
        [{ poolThreshold: null, userThreshold: 2.5 }, 'userThreshold'],
        [{ poolThreshold: null }, 'userThreshold'],
        [{ poolThreshold: '10', userThreshold: null }, 'poolThreshold'],
      ] as const) {
        const response = await stack.api(admin.idToken, 'PUT', alertsPath(), body);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toContain(field);
      }
      expect((await stack.api(admin.idToken, 'GET', alertsPath())).body).toEqual(before);
    });

    it('emails the admins once a month when the pool falls below its threshold', async () => {
      // Two allocations of 300 each take the pool below the threshold (500 below it now).
      for (let index = 0; index < 3; index++) {
        const moved = await stack.api(
          admin.idToken,
          'POST',
          `/v1/tenants/${tenantId}/users/${memberId}/credits`,
          { operation: 'allocate', amount: 300 },
        );
        expect(moved.status).toBe(200);
      }
      const emails = await emailsTo(adminEmail, 'credit pool is running low');
      expect(emails).toHaveLength(1);
      expect(emails[0]?.body).toContain('below your alert threshold');
    });

    it('emails the admins once when a member spends below the user threshold', async () => {
      const { userBalance } = (
        await stack.api(
          admin.idToken,
          'POST',
          `/v1/tenants/${tenantId}/users/${memberId}/credits`,
          {
            operation: 'reclaim',
            amount: (await balanceOf(member)) - 450,
          },
        )
      ).body;
      expect(userBalance).toBe(450);
      expect(await emailsTo(adminEmail, `Credits of ${memberEmail}`)).toHaveLength(0);

      const client = new OpenAI({
        baseURL: `${stack.info.apiUrl}/v1`,
        apiKey: member.idToken,
        maxRetries: 0,
      });
      // gpt-4o costs about one credit per output token: a few calls cross 400, and two
      // more stay below it.
      let callsBelow = 0;
      for (let index = 0; index < 20 && callsBelow < 2; index++) {
        const { response } = await client.chat.completions
          .create({
            model: 'gpt-4o',
            messages: [{ role: 'user', content: 'Spend a little' }],
            max_tokens: 20,
          })
          .withResponse();
        if (Number(response.headers.get('x-creditgate-balance')) < 400) callsBelow++;
        // A plain call settles after its response. Waiting here lets the next receipt's balance
        // include this call's settlement.
        await stack.waitForSettlements();
      }
      expect(callsBelow).toBe(2);
      await stack.waitForSettlements();
      expect(await balanceOf(member)).toBeLessThan(400);
      const emails = await emailsTo(adminEmail, `Credits of ${memberEmail}`);
      expect(emails).toHaveLength(1);
      expect(emails[0]?.body).toContain('400 per user');
      await stack.expectLedgerConsistent();
    });
  });
});
