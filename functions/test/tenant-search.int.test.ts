import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/** `GET /v1/tenants?q=` searches every tenant's name, in any case, or one tenant id. */
describe('tenant search', () => {
  let stack: TestStack;
  let superAdmin: Session;
  const idsByName = new Map<string, string>();

  const search = async (query: string) =>
    stack.api(superAdmin.idToken, 'GET', `/v1/tenants?${query}`);
  const namesIn = (body: { items: { name: string }[] }) => body.items.map((item) => item.name);

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    // Created oldest first, so the newest-first order is the reverse of this list.
    for (const [index, name] of ['Acme Corp', 'Globex', 'ACME Labs', 'Ümlaut Öffice'].entries()) {
      const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
        name,
        planId: plan.body.planId,
        adminEmail: `admin${index}@search.test`,
        creditLimit: 1_000,
      });
      expect(tenant.status).toBe(201);
      idsByName.set(name, tenant.body.tenantId);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('matches names in any case, newest first', async () => {
    const result = await search('q=acme');

    expect(result.status).toBe(200);
    expect(namesIn(result.body)).toEqual(['ACME Labs', 'Acme Corp']);
    expect(result.body.nextCursor).toBeNull();
  });

  it('matches letters outside ASCII in any case', async () => {
    const result = await search(`q=${encodeURIComponent('ÖFFICE')}`);

    expect(namesIn(result.body)).toEqual(['Ümlaut Öffice']);
  });

  it('finds one tenant by its id', async () => {
    const result = await search(`q=${idsByName.get('Globex')}`);

    expect(namesIn(result.body)).toEqual(['Globex']);
    expect(result.body.nextCursor).toBeNull();
  });

  it('finds nothing for an unknown id or name', async () => {
    const unknownId = await search('q=tnt_01JZZZZZZZZZZZZZZZZZZZZZZZ');
    const unknownName = await search('q=initrode');

    expect(unknownId.body.items).toEqual([]);
    expect(unknownName.body.items).toEqual([]);
    expect(unknownName.body.nextCursor).toBeNull();
  });

  it('pages through the matches', async () => {
    const first = await search('q=acme&limit=1');
    const second = await search(`q=acme&limit=1&cursor=${first.body.nextCursor}`);
    const third = await search(`q=acme&limit=1&cursor=${second.body.nextCursor}`);

    expect(namesIn(first.body)).toEqual(['ACME Labs']);
    expect(namesIn(second.body)).toEqual(['Acme Corp']);
    expect(third.body.items).toEqual([]);
    expect(third.body.nextCursor).toBeNull();
  });

  it('finds a renamed tenant by its new name', async () => {
    const tenantId = idsByName.get('Globex');
    const renamed = await stack.api(superAdmin.idToken, 'PATCH', `/v1/tenants/${tenantId}`, {
      name: 'Initech Global',
    });
    expect(renamed.status).toBe(200);

    expect(namesIn((await search('q=initech')).body)).toEqual(['Initech Global']);
    expect((await search('q=globex')).body.items).toEqual([]);
  });

  it('rejects an empty or long search term', async () => {
    const empty = await search('q=%20%20');
    const long = await search(`q=${'a'.repeat(101)}`);

    for (const result of [empty, long]) {
      expect(result.status).toBe(400);
      expect(result.body.error.code).toBe('VALIDATION_FAILED');
      expect(result.body.error.details.fields[0].field).toBe('q');
    }
  });

  it('serves SuperAdmins only', async () => {
    const tenantAdmin = await stack.acceptInvite('admin0@search.test', newPassword());

    const result = await stack.api(tenantAdmin.idToken, 'GET', '/v1/tenants?q=acme');

    expect(result.status).toBe(403);
  });
});
