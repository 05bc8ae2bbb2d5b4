import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * A CPU placement of the stack's processes and the benchmark's own process. The benchmark
 * runs its concurrency-1 rows once in each placement that `cpuPlacements` returns.
 */
export interface CpuPlacement {
  /** Added to the rows' concurrency column; empty for the operating system's placement. */
  label: string;
  description: string;
  apply(): void;
}

/**
 * Returns the operating system's placement, where every process may run on every CPU. Where
 * CPUs can be assigned (2 CPUs or more, and `taskset`), it also returns one with the gateway
 * (the process that runs the handlers) alone on CPU 0 and everything else on the others. The
 * second is closer to AWS, where a Lambda function has its CPU and DynamoDB and the model
 * provider run elsewhere. With shared CPUs on 2 CPUs, the gateway spent 13 % of its time in
 * the system call that sends a request. Our reading, not checked in the kernel's source:
 * Linux wakes a loopback receiver on the sender's CPU, so each DynamoDB Local or upstream
 * request can pause the gateway until the receiver yields.
 */
export function cpuPlacements(processIds: () => Record<string, number>): CpuPlacement[] {
  const cpuCount = cpus().length;
  const isTasksetAvailable = hasTaskset();
  const place = (gatewayCpus: string, otherCpus: string) => {
    for (const [name, groupId] of Object.entries(processIds())) {
      setAffinity(groupMembers(groupId), name === 'gateway' ? gatewayCpus : otherCpus);
    }
    setAffinity([process.pid], otherCpus);
  };
  const shared: CpuPlacement = {
    label: '',
    description: 'shared CPUs',
    apply: () => {
      if (isTasksetAvailable) place(`0-${cpuCount - 1}`, `0-${cpuCount - 1}`);
    },
  };
  if (cpuCount < 2 || !isTasksetAvailable) return [shared];
  const gatewayAlone: CpuPlacement = {
    label: 'own CPU',
    description: 'gateway on its own CPU',
    apply: () => place('0', `1-${cpuCount - 1}`),
  };
  return [shared, gatewayAlone];
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Lists the processes of one process group, read from `/proc`. */
function groupMembers(groupId: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // The process has ended.
    }
    // After the command name, which may contain spaces and parentheses: state, parent, group.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === groupId) members.push(Number(entry));
  }
  return members;
}

/** Limits every thread of each process to `cpuList`, such as `0` or `1-3`. */
function setAffinity(processIds: number[], cpuList: string): void {
  for (const processId of processIds) {
    try {
      execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(processId)], {
        stdio: 'ignore',
      });
    } catch (error) {
      // A process that ended since it was listed needs no placement.
      if (existsSync(`/proc/${processId}`)) throw error;
    }
  }
}
