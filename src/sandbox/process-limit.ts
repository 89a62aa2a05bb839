// A ceiling on the number of processes in one sandbox, so a fork bomb in an agent's test stops there.
// A pids cgroup counts every process of the sandbox whoever runs it (root included); where orch cannot make one,
// RLIMIT_NPROC does the same for a non-root user (the kernel exempts root from it, so as root without a
// writable cgroup there is no ceiling, and `orch doctor` says so).
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessLimit {
  /** Run on the host before bwrap: joins the cgroup, then execs the rest of argv. */
  outerPrefix: string[];
  /** Run inside the sandbox before the command. */
  innerPrefix: string[];
  how: 'cgroup' | 'rlimit' | 'none';
  release(): void;
}

const pidsRoot = '/sys/fs/cgroup/pids';

/** How a limit would be applied here, for `orch doctor`. */
export function processLimitMethod(): ProcessLimit['how'] {
  try {
    accessSync(pidsRoot, constants.W_OK);
    return 'cgroup';
  } catch {
    if (process.getuid?.() === 0) return 'none';
    try {
      accessSync('/usr/bin/prlimit', constants.X_OK);
      return 'rlimit';
    } catch {
      return 'none';
    }
  }
}

export function processLimit(max: number): ProcessLimit {
  const how = processLimitMethod();
  if (how === 'cgroup') {
    const dir = join(pidsRoot, 'orch', `${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'pids.max'), String(max));
      return {
        // A fixed script; the cgroup file and the command are its arguments, never part of the script.
        outerPrefix: ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', join(dir, 'cgroup.procs')],
        innerPrefix: [],
        how,
        release: () => {
          try {
            rmdirSync(dir);
          } catch {
            // A process outlived the sandbox (it is killed with its group); the empty cgroup is harmless.
          }
        },
      };
    } catch {
      // Fall through to no limit: the cgroup could not be made after all.
    }
  }
  if (how === 'rlimit') return { outerPrefix: [], innerPrefix: ['/usr/bin/prlimit', `--nproc=${max}`, '--'], how, release: () => undefined };
  return { outerPrefix: [], innerPrefix: [], how: 'none', release: () => undefined };
}
