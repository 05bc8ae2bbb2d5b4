import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRequestId } from '@creditgate/shared';
import { build } from 'esbuild';
import OpenAI from 'openai';
import { closeHold, type Hold, placeHold } from '../functions/src/ai/holds.repository';
import { newPassword, planInput, startTestStack } from '../infra/local/testing/test-stack';
import { type CpuPlacement, cpuPlacements } from './cpu-layout';

/**
 * Measures what the proxy adds to a chat call. The same requests go straight to the local
 * upstream (the baseline) and through Creditgate (gateway, token check, hold, upstream,
 * settlement), at concurrency 1, 8 and 32, repeated to show the spread. The floor is one
 * hold transaction on DynamoDB Local, measured in the same run. Concurrency 1 runs twice:
 * with all processes sharing the CPUs, and with the gateway on a CPU of its own (see
 * `cpu-layout.ts`). Also reports the chat handler's bundle size and module load time.
 *
 * Usage: npm run bench -- [calls per series, default 100] [runs, default 3]
 *   [concurrency levels, default 1,8,32]
 */
const callsPerSeries = Number(process.argv[2] ?? 100);
const runs = Number(process.argv[3] ?? 3);
const levels = (process.argv[4] ?? '1,8,32').split(',').map(Number);
const messages = [{ role: 'user' as const, content: 'Measure the overhead of one metered call.' }];
/** Calls of each client before timing, with one hold in ten (see the warm-up below). */
const WARM_UP_CALLS = 500;
/**
 * Delay before the local upstream responds, in the second series at concurrency 1. It
 * otherwise responds in about 0.5 ms, so work that overlaps the upstream call, such as the
 * receipt's balance read, lands on the path. Real models take far longer than 20 ms (an
 * estimate: hundreds of milliseconds for even a short completion).
 */
const UPSTREAM_WAIT_MS = 20;
/** Plan limits high enough that no call of the benchmark is refused. */
const PLAN_LIMITS = { requestsPerMinute: 100_000, concurrentStreams: 1_000 };

const stack = await startTestStack({ handlerEnv: { POWERTOOLS_LOG_LEVEL: 'WARN' } });
try {
  const superAdmin = await stack.signIn(
    stack.info.superAdmin.email,
    stack.info.superAdmin.password,
  );
  const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput(PLAN_LIMITS));
  const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
    name: 'Bench',
    planId: plan.body.planId,
    adminEmail: 'bench@bench.test',
    creditLimit: 1_000_000_000_000,
  });
  const tenantId: string = tenant.body.tenantId;
  const userId: string = tenant.body.admin.userId;
  const admin = await stack.acceptInvite('bench@bench.test', newPassword());
  await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
    amount: 1_000_000_000,
    reason: 'bench',
  });
  await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users/${userId}/credits`, {
    operation: 'allocate',
    amount: 1_000_000_000,
  });

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
  // Warm up before timing: module loading, connections and caches, and DynamoDB Local's JIT
  // compiler, which takes several hundred requests to settle. With 10 warm-up calls, the
  // floor and the added latency each measured about 2 ms higher.
  setHoldEnvironment();
  for (let i = 0; i < WARM_UP_CALLS; i++) {
    await timeCall(direct, i % 2 === 0);
    await timeCall(proxied, i % 2 === 0);
    if (i % 10 === 0) await timeHold(tenantId, userId);
  }
  await stack.waitForSettlements();

  console.log(
    `Proxy overhead: ${callsPerSeries} calls per series, ${runs} runs, gpt-4o-mini, max_tokens 32`,
  );
  console.log(
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  const placements = cpuPlacements(() => stack.processIds());
  if (placements.length === 1)
    console.log('Skipping the rows with the gateway on its own CPU: they need 2 CPUs and taskset.');
  /** The floors of the concurrency-1 series, by CPU placement. */
  const floors = new Map(placements.map((placement) => [placement, [] as number[]]));
  console.log(
    'kind                    concurrency  added p50 ms (range)    added p95 ms   added p99 ms   p50 minus floor (range)',
  );
  for (const stream of [false, true]) {
    const kind = stream ? 'stream' : 'plain ';
    for (const concurrency of levels) {
      if (concurrency === 1) {
        await printConcurrencyOneRows({ direct, proxied }, { tenantId, userId }, stream, floors);
        continue;
      }
      const added = newAddedLatency();
      for (let run = 0; run < runs; run++) {
        recordRun(
          added,
          await series(direct, stream, concurrency),
          await series(proxied, stream, concurrency),
        );
      }
      console.log(row(kind, String(concurrency), added));
    }
    // The same calls one after another with no pause: each hold can meet the previous
    // call's settlement, which runs after a plain call's response.
    const backToBack = newAddedLatency();
    for (let run = 0; run < runs; run++) {
      recordRun(backToBack, await series(direct, stream, 1), await series(proxied, stream, 1));
    }
    console.log(row(kind, '1, no pause', backToBack));
  }
  for (const [{ description }, values] of floors) {
    if (values.length === 0) continue;
    console.log(
      `Floor, one hold transaction on DynamoDB Local, ${description}: p50 ${medianWithRange(values)} ms over ${values.length} series`,
    );
  }
  console.log('Stream rows time the first content chunk; plain rows the whole response.');
  await reportBundle();
} finally {
  await stack.stop();
}

/**
 * Prints the interleaved concurrency-1 rows of one kind: for each CPU placement in `floors`,
 * one row with an upstream that responds at once and one with an upstream that waits
 * `UPSTREAM_WAIT_MS`, and adds each run's floor to the placement's list. The first
 * placement is the operating system's, and it is restored at the end.
 */
async function printConcurrencyOneRows(
  clients: { direct: OpenAI; proxied: OpenAI },
  caller: { tenantId: string; userId: string },
  stream: boolean,
  floors: Map<CpuPlacement, number[]>,
): Promise<void> {
  const kind = stream ? 'stream' : 'plain ';
  for (const [placement, placementFloors] of floors) {
    placement.apply();
    for (const upstreamWaitMs of [0, UPSTREAM_WAIT_MS]) {
      await setUpstreamWait(upstreamWaitMs);
      const added = newAddedLatency();
      const aboveFloor: number[] = [];
      for (let run = 0; run < runs; run++) {
        const paired = await interleavedSeries(clients, caller.tenantId, caller.userId, stream);
        const floor = percentiles(paired.floor).p50;
        placementFloors.push(floor);
        aboveFloor.push(recordRun(added, paired.direct, paired.proxied) - floor);
      }
      const label = [
        '1',
        ...(upstreamWaitMs > 0 ? [`upstream ${upstreamWaitMs} ms`] : []),
        ...(placement.label ? [placement.label] : []),
      ].join(', ');
      console.log(`${row(kind, label, added)}   ${medianWithRange(aboveFloor)}`);
    }
  }
  // The other concurrency levels run with the operating system's placement, the first.
  const [systemPlacement] = floors.keys();
  systemPlacement?.apply();
  await setUpstreamWait(0);
}

/** Makes the local upstream wait `ms` before each chat response, or respond at once for 0. */
async function setUpstreamWait(ms: number): Promise<void> {
  if (ms === 0) {
    await stack.upstream.resetBehaviour();
    return;
  }
  await stack.upstream.setBehaviour({
    mode: 'normal',
    delayMs: ms,
    match: { path: '/v1/chat/completions' },
  });
}

/** Times `callsPerSeries` calls, `concurrency` at a time. */
async function series(client: OpenAI, stream: boolean, concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < callsPerSeries) {
        started++;
        times.push(await timeCall(client, stream));
      }
    }),
  );
  return times;
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

/** Points this process's repository functions at the stack's DynamoDB Local. */
function setHoldEnvironment(): void {
  Object.assign(process.env, {
    TABLE_NAME: stack.info.tableName,
    DYNAMODB_ENDPOINT: stack.info.dynamodbEndpoint,
    CREDITGATE_LOCAL: '1',
    AWS_REGION: stack.info.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
}

/**
 * Times calls at concurrency 1, with the floor and the baseline measured in turn with the
 * proxied calls, so all three meet the same state of the machine. Each round times one hold
 * transaction, one direct call and one proxied call. Then it waits until the proxied call
 * has settled, so the next round starts with nothing running, as the floor's hold does.
 */
async function interleavedSeries(
  clients: { direct: OpenAI; proxied: OpenAI },
  tenantId: string,
  userId: string,
  stream: boolean,
): Promise<{ floor: number[]; direct: number[]; proxied: number[] }> {
  const times = { floor: [] as number[], direct: [] as number[], proxied: [] as number[] };
  for (let i = 0; i < callsPerSeries; i++) {
    times.floor.push(await timeHold(tenantId, userId));
    times.direct.push(await timeCall(clients.direct, stream));
    times.proxied.push(await timeCall(clients.proxied, stream));
    await stack.waitForSettlements();
  }
  return times;
}

/** Times one hold transaction as the proxy sends it, then closes the hold untimed. */
async function timeHold(tenantId: string, userId: string): Promise<number> {
  const now = Date.now();
  const hold: Hold = {
    tenantId,
    userId,
    requestId: newRequestId(),
    amount: 10,
    model: 'gpt-4o-mini',
    holdExpiresAt: now + 600_000,
    createdAt: new Date(now).toISOString(),
    // The same limits the proxy's hold carries, so the floor is the transaction it sends:
    // the user item with its call count, the hold, the HOLD entry and the rate counter.
    limits: {
      requestsPerMinute: PLAN_LIMITS.requestsPerMinute,
      concurrentCalls: PLAN_LIMITS.concurrentStreams,
    },
  };
  const startedAt = performance.now();
  await placeHold(hold);
  const took = performance.now() - startedAt;
  await closeHold({
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
  return took;
}

/** Bundles the chat handler as CDK does and times loading it in fresh Node processes. */
async function reportBundle(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'creditgate-bundle-'));
  try {
    const file = join(folder, 'chat.mjs');
    // Settings like the deployed functions': one minified ESM file with the AWS SDK inside.
    await build({
      entryPoints: ['functions/src/ai/chat-completions.handler.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      outfile: file,
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const loadTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const output = execFileSync(process.execPath, [
        '--input-type=module',
        '-e',
        `globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };
         const started = performance.now(); await import(${JSON.stringify(`file://${file}`)});
         console.log(performance.now() - started);`,
      ]);
      loadTimes.push(Number(output.toString().trim()));
    }
    const size = (statSync(file).size / 1024).toFixed(0);
    console.log(
      `Chat handler bundle: ${size} KiB minified; module load p50 ${median(loadTimes).toFixed(0)} ms over 5 cold processes`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function percentiles(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** Added latency of a series over its runs: proxied minus direct, for each percentile. */
interface AddedLatency {
  p50: number[];
  p95: number[];
  p99: number[];
}

function newAddedLatency(): AddedLatency {
  return { p50: [], p95: [], p99: [] };
}

/** Records one run's added latency and returns its p50. */
function recordRun(added: AddedLatency, direct: number[], proxied: number[]): number {
  const base = percentiles(direct);
  const proxy = percentiles(proxied);
  added.p50.push(proxy.p50 - base.p50);
  added.p95.push(proxy.p95 - base.p95);
  added.p99.push(proxy.p99 - base.p99);
  return proxy.p50 - base.p50;
}

function median(values: number[]): number {
  return percentiles(values).p50;
}

function medianWithRange(values: number[]): string {
  const range = `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
  return `${median(values).toFixed(1)} (${range})`;
}

/** Formats one table row: the median over the runs of each percentile, with the range of the p50s. */
function row(kind: string, concurrency: string, added: AddedLatency): string {
  return (
    `${kind}  ${concurrency.padStart(27)}  ${medianWithRange(added.p50).padStart(18)}`.padEnd(64) +
    `${median(added.p95).toFixed(1).padStart(8)}   ${median(added.p99).toFixed(1).padStart(12)}`
  );
}
