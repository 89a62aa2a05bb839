// Which sandbox a run's agents and checks get: the flag over the config's per-agent mode over its global mode,
// 'auto' decided here once (bwrap where it starts, else none with one line saying so), and the request each
// spawn passes down to the sandbox room.
import type { OrchConfig, SandboxSetting } from '../../domain/config.ts';
import { OrchError } from '../../domain/errors.ts';
import { sandboxSupport, type SandboxMode, type SandboxRequest } from '../../sandbox/index.ts';
import type { RunScope } from './deps.ts';
import type { RunSettings } from './settings.ts';

let fallbackNoted = false;

/** Decide one setting; a sandbox the user asked for by name that cannot start is a refusal (exit 2). */
export function resolveSandboxMode(setting: SandboxSetting, where: string): SandboxMode {
  if (setting === 'none') return 'none';
  const support = sandboxSupport();
  if (support.available) return 'bwrap';
  if (setting === 'bwrap') {
    throw new OrchError('sandbox_unavailable', `${where} asks for the bwrap sandbox, but ${support.reason}.`, {
      hint: 'Install bubblewrap, or run without a sandbox on purpose: --sandbox none (or "sandbox": { "mode": "none" }).',
    });
  }
  if (!fallbackNoted) {
    fallbackNoted = true;
    // One line, once per process: the user should know agents run with their own rights.
    process.stderr.write(`orch: no sandbox: ${support.reason}; agents and checks run with your rights (pass --sandbox none to say so on purpose).\n`);
  }
  return 'none';
}

export function resolveSandboxSettings(config: OrchConfig, agents: readonly string[], flag: SandboxSetting | undefined): RunSettings['sandbox'] {
  const mode = resolveSandboxMode(flag ?? config.sandbox.mode, flag !== undefined ? '--sandbox' : 'The config (sandbox.mode)');
  const perAgent: Record<string, SandboxMode> = {};
  for (const agent of new Set(agents)) {
    const own = config.sandbox.agents[agent];
    perAgent[agent] = flag === undefined && own !== undefined ? resolveSandboxMode(own, `sandbox.agents.${agent}`) : mode;
  }
  return { mode, agents: perAgent, allowHosts: [...config.sandbox.allowHosts], checksNetwork: config.checks.network, maxProcesses: config.sandbox.maxProcesses };
}

/** The sandbox for one agent process of this run. */
export function agentSandbox(scope: RunScope, agent: string, readOnly = false): SandboxRequest {
  const settings = scope.settings.sandbox;
  return {
    mode: settings.agents[agent] ?? settings.mode,
    orchHome: scope.deps.paths.home,
    kind: 'agent',
    agent,
    network: 'filtered',
    allowHosts: settings.allowHosts,
    readOnly,
    maxProcesses: settings.maxProcesses,
  };
}

/** The sandbox for this run's check commands: the run's mode, no network unless checks.network. */
export function checkSandbox(scope: RunScope): SandboxRequest {
  const settings = scope.settings.sandbox;
  return {
    mode: settings.mode,
    orchHome: scope.deps.paths.home,
    kind: 'check',
    network: settings.checksNetwork ? 'host' : 'none',
    allowHosts: [],
    maxProcesses: settings.maxProcesses,
  };
}

export interface SandboxReport {
  /** What was asked for, and by whom. */
  requested: SandboxSetting;
  source: '--sandbox' | 'config' | 'default';
  /** What agents and checks get; `refused` when a named sandbox cannot start (runs exit 2). */
  active: SandboxMode | 'refused';
  why: string;
  agents: Record<string, SandboxSetting>;
  allowHosts: string[];
  checksNetwork: boolean;
  processLimit: { max: number; how: 'cgroup' | 'rlimit' | 'none' };
}

/** For `orch doctor`: the sandbox a run would get here, and why; decides nothing and prints nothing. */
export function describeSandbox(config: OrchConfig, flag: SandboxSetting | undefined, limitHow: SandboxReport['processLimit']['how']): SandboxReport {
  const requested = flag ?? config.sandbox.mode;
  const source = flag !== undefined ? '--sandbox' : config.sandbox.mode !== 'auto' ? 'config' : 'default';
  const support = sandboxSupport();
  let active: SandboxReport['active'];
  let why: string;
  if (requested === 'none') {
    active = 'none';
    why = `${source === 'default' ? 'the default' : source} says none: agents and checks run with your rights`;
  } else if (support.available) {
    active = 'bwrap';
    why = `${support.bwrap} starts a sandbox here (user, pid, net and ipc namespaces, no capabilities)`;
  } else {
    active = requested === 'bwrap' ? 'refused' : 'none';
    why = requested === 'bwrap' ? `bwrap is asked for, but ${support.reason}: runs are refused` : `${support.reason}: falling back to none`;
  }
  return {
    requested,
    source,
    active,
    why,
    agents: { ...config.sandbox.agents },
    allowHosts: [...config.sandbox.allowHosts],
    checksNetwork: config.checks.network,
    processLimit: { max: config.sandbox.maxProcesses, how: limitHow },
  };
}
