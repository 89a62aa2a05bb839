// The sandbox room: what an agent's process or a check command may touch, enforced with bubblewrap on Linux.
export type { NetworkPolicy, SandboxMode, SandboxRequest, SandboxedCommand } from './policy.ts';
export { prepareSandbox, SandboxUnavailableError, type PrepareInput } from './prepare.ts';
export { sandboxSupport, type SandboxSupport } from './probe.ts';
export { processLimitMethod } from './process-limit.ts';
export { openHostCommand, type HostCommand } from './host-command.ts';
export { sandboxedCommand, type BwrapPlan } from './bwrap-argv.ts';
export { readTrimmed, worktreeGitPaths, type WorktreeGitPaths } from './git-paths.ts';
