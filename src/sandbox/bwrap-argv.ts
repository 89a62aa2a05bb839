// The bubblewrap command line for one sandboxed process: a pure function of a plan, so it is easy to test and
// to read. prepare.ts decides the plan (which paths, which network); this only turns it into argv.
import { sep } from 'node:path';

export interface BwrapPlan {
  bwrap: string;
  cwd: string;
  /** Covered by an empty tmpfs: not visible (the real HOME, ORCH_HOME, /tmp, the user's checkout). */
  hidden: readonly string[];
  /** Bound back read-only (the repository's .git, the agent's own program). */
  readOnly: readonly string[];
  /** Bound read-write (the worktree, the private HOME and TMPDIR, what git needs for this worktree). */
  writable: readonly string[];
  /** Keep the machine's network namespace (checks with checks.network); otherwise a namespace of its own. */
  shareNetwork: boolean;
  /** A forwarded port below 1024 (a local proxy on :443): the forwarder may bind it in the sandbox's own network. */
  bindLowPorts?: boolean | undefined;
  /** Run inside the sandbox before the command (the network forwarder, a process limit). */
  innerPrefix: readonly string[];
  /** Run on the host before bwrap (joining a process-count cgroup). */
  outerPrefix: readonly string[];
  /** Variables set over the caller's environment (HOME, TMPDIR, proxies). */
  env: Readonly<Record<string, string>>;
}

type Mount = { kind: 'hide' | 'ro' | 'rw'; path: string };

const order = { hide: 0, ro: 1, rw: 2 } as const;

function depth(path: string): number {
  return path.split(sep).filter(Boolean).length;
}

/**
 * bwrap applies mounts in order, so a parent must come before what is mounted inside it: by depth, and at one
 * depth hide before read-only before writable. A path given twice keeps its most open kind.
 */
export function orderedMounts(plan: Pick<BwrapPlan, 'hidden' | 'readOnly' | 'writable'>): Mount[] {
  const byPath = new Map<string, Mount>();
  const add = (kind: Mount['kind'], path: string) => {
    const known = byPath.get(path);
    if (known === undefined || order[kind] > order[known.kind]) byPath.set(path, { kind, path });
  };
  for (const path of plan.hidden) add('hide', path);
  for (const path of plan.readOnly) add('ro', path);
  for (const path of plan.writable) add('rw', path);
  return [...byPath.values()].sort((a, b) => depth(a.path) - depth(b.path) || order[a.kind] - order[b.kind] || a.path.localeCompare(b.path));
}

export function sandboxedCommand(plan: BwrapPlan, argv: readonly string[], env: NodeJS.ProcessEnv): { argv: string[]; env: NodeJS.ProcessEnv } {
  const bwrapArgs = [
    plan.bwrap,
    '--die-with-parent',
    // A user namespace with no capabilities: root inside is nobody special outside, and cannot remount anything.
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(plan.shareNetwork ? [] : ['--unshare-net']),
    '--cap-drop',
    'ALL',
    // Only over the sandbox's own network namespace: nothing outside it.
    ...(plan.bindLowPorts === true && !plan.shareNetwork ? ['--cap-add', 'CAP_NET_BIND_SERVICE'] : []),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    // A /proc of its own: the host's would show orch's own environment (its keys) in /proc/<pid>/environ.
    '--proc',
    '/proc',
  ];
  for (const mount of orderedMounts(plan)) {
    if (mount.kind === 'hide') bwrapArgs.push('--tmpfs', mount.path);
    else bwrapArgs.push(mount.kind === 'ro' ? '--ro-bind' : '--bind', mount.path, mount.path);
  }
  bwrapArgs.push('--chdir', plan.cwd, '--', ...plan.innerPrefix, ...argv);
  return { argv: [...plan.outerPrefix, ...bwrapArgs], env: { ...env, ...plan.env } };
}
