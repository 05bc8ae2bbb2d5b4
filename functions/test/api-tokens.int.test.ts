import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
 * Personal API tokens: shown once, stored hashed, listed, revoked, optionally expiring, and
 * accepted on the AI routes beside the ID token. A revoked or expired token, or one of a
 * disabled user, fails on the next call.
 */
describe('api tokens', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let admin: Session;
  let member: Session;
  let tenantId: string;
  let memberId: string;

  const ai = (apiKey: string) =>
    new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey, maxRetries: 0 });
  const chat = (apiKey: string) =>
    ai(apiKey).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Token call' }],
      max_tokens: 10,
    });
  const createToken = async (session: Session, body: Record<string, unknown> = { name: 'CI' }) => {
    const response = await stack.api(session.idToken, 'POST', '/v1/me/api-tokens', body);
    expect(response.status).toBe(201);
    return response.body as { token: string; tokenId: string };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: 'Wonka',
      planId: plan.body.planId,
      adminEmail: 'willy@wonka.test',
      creditLimit: 1_000_000,
    });
    tenantId = tenant.body.tenantId;
    admin = await stack.acceptInvite('willy@wonka.test', newPassword());
    const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: 'charlie@wonka.test',
      role: 'User',
    });
    memberId = invited.body.userId;
    member = await stack.acceptInvite('charlie@wonka.test', newPassword());
    await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 100_000,
      reason: 'Start',
    });
    await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users/${memberId}/credits`, {
      operation: 'allocate',
      amount: 50_000,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('token is shown once and listed without it', async () => {
    const created = await createToken(member, { name: 'Laptop', expiresInDays: 30 });
    expect(created.token).toMatch(/^cg\./);
    expect(created).toMatchObject({ name: 'Laptop', status: 'ACTIVE' });

    const listed = await stack.api(member.idToken, 'GET', '/v1/me/api-tokens');
    const entry = listed.body.items.find(
      (item: { tokenId: string }) => item.tokenId === created.tokenId,
    );
    expect(entry).toMatchObject({ name: 'Laptop', status: 'ACTIVE' });
    expect(entry.expiresAt).toBeTruthy();
    expect(JSON.stringify(listed.body)).not.toContain(created.token.split('.')[4]);
  });

  it('token works with the openai SDK', async () => {
    const { token } = await createToken(member);

    const models = await ai(token).models.list();
    const reply = await chat(token);

    expect(models.data.map((model) => model.id)).toContain('gpt-4o-mini');
    expect(reply.choices[0]?.message.content).toMatch(/^Echo:/);
  });

  it('token does not work on platform routes', async () => {
    const { token } = await createToken(member);
    const me = await stack.api(token, 'GET', '/v1/me');
    expect(me.status).toBe(401);
  });

  it('revoked token fails on the next call', async () => {
    const { token, tokenId } = await createToken(member);
    await chat(token);

    const revoked = await stack.api(member.idToken, 'DELETE', `/v1/me/api-tokens/${tokenId}`);
    expect(revoked.status).toBe(204);
    await expect(chat(token)).rejects.toMatchObject({ status: 401 });
    await expect(ai(token).models.list()).rejects.toMatchObject({ status: 401 });
    const listed = await stack.api(member.idToken, 'GET', '/v1/me/api-tokens');
    expect(
      listed.body.items.find((item: { tokenId: string }) => item.tokenId === tokenId).status,
    ).toBe('REVOKED');
  });

  it('expired token fails', async () => {
    const { token, tokenId } = await createToken(member, { name: 'Short', expiresInDays: 1 });
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: stack.info.region,
        endpoint: stack.info.dynamodbEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    // Move the expiry into the past instead of waiting a day.
    await client.send(
      new UpdateCommand({
        TableName: stack.info.tableName,
        Key: { pk: `TENANT#${tenantId}`, sk: `APITOKEN#${memberId}#${tokenId}` },
        UpdateExpression: 'SET tokenExpiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    client.destroy();

    await expect(chat(token)).rejects.toMatchObject({ status: 401 });
    const listed = await stack.api(member.idToken, 'GET', '/v1/me/api-tokens');
    expect(
      listed.body.items.find((item: { tokenId: string }) => item.tokenId === tokenId).status,
    ).toBe('EXPIRED');
  });

  it('tampered token fails', async () => {
    const { token } = await createToken(member);
    const parts = token.split('.');
    const secret = parts[4] as string;
    parts[4] = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;

    await expect(chat(parts.join('.'))).rejects.toMatchObject({ status: 401 });
    await expect(chat('cg.not.a.real.token')).rejects.toMatchObject({ status: 401 });
  });

  it('disabled user token fails at once', async () => {
    const { token } = await createToken(member);
    await chat(token);

    await stack.api(admin.idToken, 'PATCH', `/v1/tenants/${tenantId}/users/${memberId}`, {
      status: 'DISABLED',
    });
    await expect(chat(token)).rejects.toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
    await expect(ai(token).models.list()).rejects.toMatchObject({ status: 403 });

    await stack.api(admin.idToken, 'PATCH', `/v1/tenants/${tenantId}/users/${memberId}`, {
      status: 'ACTIVE',
    });
    expect((await chat(token)).choices).toHaveLength(1);
  });

  it('cannot revoke another user token', async () => {
    const { tokenId } = await createToken(member);
    const response = await stack.api(admin.idToken, 'DELETE', `/v1/me/api-tokens/${tokenId}`);
    expect(response.status).toBe(404);
    const listed = await stack.api(member.idToken, 'GET', '/v1/me/api-tokens');
    expect(
      listed.body.items.find((item: { tokenId: string }) => item.tokenId === tokenId).status,
    ).toBe('ACTIVE');
  });

  it('bad token requests answer 400', async () => {
    const noName = await stack.api(member.idToken, 'POST', '/v1/me/api-tokens', {
      expiresInDays: 5,
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toContain('name');
    const tooLong = await stack.api(member.idToken, 'POST', '/v1/me/api-tokens', {
      name: 'x',
      expiresInDays: 400,
    });
    expect(tooLong.body.error.message).toContain('expiresInDays');
    const badId = await stack.api(member.idToken, 'DELETE', '/v1/me/api-tokens/not-a-token');
    expect(badId.status).toBe(400);
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
