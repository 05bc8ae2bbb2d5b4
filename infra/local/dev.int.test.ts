import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface DevRun {
  child: ChildProcess;
  stateDir: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs: DevRun[] = [];

function startDev(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<DevRun> {
  return mkdtemp(join(tmpdir(), 'creditgate-dev-')).then((stateDir) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'infra/local/dev.ts', '--state-dir', stateDir, ...args],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const run = { child, stateDir, output: () => output, exited };
    runs.push(run);
    return run;
  });
}

async function waitForOutput(run: DevRun, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (run.output().includes(text)) return;
    if (run.child.exitCode !== null) throw new Error(`dev exited early:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`dev did not print "${text}" within ${timeoutMs} ms:\n${run.output()}`);
}

/** Returns every descendant PID of `root`, read from /proc. */
async function descendantsOf(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces; fields after the closing parenthesis are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we read.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  // A zombie still has a /proc entry; it counts as ended.
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await rm(run.stateDir, { recursive: true, force: true });
  }
});

describe('npm run dev', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops every child on ${signal}`, async () => {
      const run = await startDev(['--no-web', '--random-ports']);
      await waitForOutput(run, 'Press Ctrl-C to stop.', 60_000);

      const info = JSON.parse(await readFile(join(run.stateDir, 'stack.json'), 'utf8'));
      expect(info.webUrl).toBeNull();
      for (const field of [
        'apiUrl',
        'userPoolId',
        'userPoolClientId',
        'tableName',
        'openaiBaseUrl',
        'outboxDir',
      ]) {
        expect(info[field], field).toBeTruthy();
      }
      const unauthenticated = await fetch(`${info.apiUrl}/v1/me`);
      expect(unauthenticated.status).toBe(401);

      const children = await descendantsOf(run.child.pid as number);
      expect(children.length).toBeGreaterThanOrEqual(5);

      run.child.kill(signal);
      const { code } = await run.exited;
      expect(code).toBe(0);
      expect(children.filter(isAlive)).toEqual([]);
    }, 90_000);
  }

  it('serves the SPA and proxies the API', async () => {
    const run = await startDev(['--random-ports']);
    await waitForOutput(run, 'Press Ctrl-C to stop.', 60_000);
    const info = JSON.parse(await readFile(join(run.stateDir, 'stack.json'), 'utf8'));

    const page = await fetch(info.webUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const proxied = await fetch(`${info.webUrl}/v1/me`);
    expect(proxied.status).toBe(401);

    const children = await descendantsOf(run.child.pid as number);
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
    expect(children.filter(isAlive)).toEqual([]);
  }, 90_000);

  it('names the package to install without Java', async () => {
    const emptyBin = await mkdtemp(join(tmpdir(), 'creditgate-nojava-'));
    const run = await startDev(['--no-web'], { ...process.env, PATH: emptyBin });
    const { code } = await run.exited;
    await rm(emptyBin, { recursive: true, force: true });

    expect(code).toBe(1);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('openjdk-17-jre-headless');
  });
});
