import { cpus } from 'node:os';
import OpenAI from 'openai';
import { newPassword, planInput, startTestStack } from '../infra/local/testing/test-stack';

/**
 * Measures what the proxy adds to a chat call: the same requests go straight to the local
 * upstream (the baseline) and through Creditgate (token check, hold, settlement, ledger),
 * in one run on one machine. Prints latency percentiles of both and the difference.
 *
 * Usage: npm run bench -- [calls per series, default 200]
 */
const calls = Number(process.argv[2] ?? 200);
const messages = [{ role: 'user' as const, content: 'Measure the overhead of one metered call.' }];

const stack = await startTestStack({ handlerEnv: { POWERTOOLS_LOG_LEVEL: 'WARN' } });
try {
  const superAdmin = await stack.signIn(
    stack.info.superAdmin.email,
    stack.info.superAdmin.password,
  );
  const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
  const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
    name: 'Bench',
    planId: plan.body.planId,
    adminEmail: 'bench@bench.test',
    creditLimit: 1_000_000_000,
  });
  const tenantId = tenant.body.tenantId;
  const admin = await stack.acceptInvite('bench@bench.test', newPassword());
  await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
    amount: 100_000_000,
    reason: 'bench',
  });
  await stack.api(
    admin.idToken,
    'POST',
    `/v1/tenants/${tenantId}/users/${tenant.body.admin.userId}/credits`,
    {
      operation: 'allocate',
      amount: 100_000_000,
    },
  );

  const direct = new OpenAI({
    baseURL: stack.info.openaiBaseUrl,
    apiKey: 'sk-bench',
    maxRetries: 0,
  });
  const proxied = new OpenAI({
    baseURL: `${stack.info.apiUrl}/v1`,
    apiKey: admin.idToken,
    maxRetries: 0,
  });

  const series = [
    { name: 'upstream, plain', client: direct, stream: false },
    { name: 'proxy, plain', client: proxied, stream: false },
    { name: 'upstream, stream (to first chunk)', client: direct, stream: true },
    { name: 'proxy, stream (to first chunk)', client: proxied, stream: true },
  ];
  const results = new Map<string, number[]>();
  for (const { name, client, stream } of series) {
    // Warm up module loading, connections and caches before timing.
    for (let i = 0; i < 10; i++) await timeCall(client, stream);
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) samples.push(await timeCall(client, stream));
    results.set(name, samples);
  }

  console.log(
    `Proxy overhead, ${calls} sequential calls per series, model gpt-4o-mini, max_tokens 32`,
  );
  console.log(
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  console.log('series                                 p50 ms   p95 ms   mean ms');
  for (const [name, samples] of results) {
    const { p50, p95, mean } = summarize(samples);
    console.log(
      `${name.padEnd(38)} ${p50.toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(8)} ${mean.toFixed(1).padStart(9)}`,
    );
  }
  const plainOverhead =
    summarize(results.get('proxy, plain') ?? []).p50 -
    summarize(results.get('upstream, plain') ?? []).p50;
  const streamOverhead =
    summarize(results.get('proxy, stream (to first chunk)') ?? []).p50 -
    summarize(results.get('upstream, stream (to first chunk)') ?? []).p50;
  console.log(
    `Proxy adds ${plainOverhead.toFixed(1)} ms (p50) to a plain call, ${streamOverhead.toFixed(1)} ms to the first chunk.`,
  );
} finally {
  await stack.stop();
}

/** Times one call: the whole response for plain calls, the first content chunk for streams. */
async function timeCall(client: OpenAI, stream: boolean): Promise<number> {
  const startedAt = performance.now();
  if (!stream) {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 32 });
    return performance.now() - startedAt;
  }
  const response = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    max_tokens: 32,
    stream: true,
  });
  let firstChunkAt: number | undefined;
  for await (const chunk of response) {
    if (firstChunkAt === undefined && chunk.choices[0]?.delta?.content)
      firstChunkAt = performance.now();
  }
  return (firstChunkAt ?? performance.now()) - startedAt;
}

function summarize(samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { p50: at(0.5), p95: at(0.95), mean };
}
