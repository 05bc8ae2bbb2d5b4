import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU placements for the benchmark's processes. With `shared`, every process may run on every
 * CPU, as the operating system chooses. With `gatewayAlone`, the gateway (the process that
 * runs the handlers) has CPU 0 to itself, and the benchmark, the emulators and the local
 * upstream share the others. That is closer to AWS, where a Lambda function has its CPU and
 * DynamoDB and the model provider run elsewhere. With `shared` on 2 CPUs, the gateway spent
 * 13 % of its time in the system call that sends a request. Our reading, not checked in the
 * kernel's source: Linux wakes a loopback receiver on the sender's CPU, so each DynamoDB
 * Local or upstream request can pause the gateway until the receiver yields.
 */
export interface CpuLayouts {
  shared(): void;
  /** Undefined where CPUs cannot be assigned: fewer than 2 CPUs, or no `taskset` (Linux). */
  gatewayAlone: (() => void) | undefined;
}

export function cpuLayouts(processIds: () => Record<string, number>): CpuLayouts {
  const cpuCount = cpus().length;
  const allCpus = `0-${cpuCount - 1}`;
  const place = (gatewayCpus: string, otherCpus: string) => {
    for (const [name, groupId] of Object.entries(processIds())) {
      setAffinity(groupMembers(groupId), name === 'gateway' ? gatewayCpus : otherCpus);
    }
    setAffinity([process.pid], otherCpus);
  };
  return {
    shared: () => {
      if (hasTaskset()) place(allCpus, allCpus);
    },
    gatewayAlone: cpuCount >= 2 && hasTaskset() ? () => place('0', `1-${cpuCount - 1}`) : undefined,
  };
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
    // After the command name, which may hold spaces and parentheses: state, parent, group.
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
