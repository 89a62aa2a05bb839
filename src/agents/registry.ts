// From an agent's name and the project's config to an adapter, and the checks that fail fast before any agent
// starts. What each agent is (its config, program, install hint, capabilities) is its record in
// domain/agent-records.ts; here each name is joined to the module that runs it: one line per agent.
import { agentNames, agentRecord, agentRecords, isAgentName, type AgentName } from '../domain/agent-records.ts';
import type { OrchConfig } from '../domain/config.ts';
import { AgentSetupError, UsageError } from '../domain/errors.ts';
import { findAgentProgram } from '../process/orch-programs.ts';
import { namedEndpointProblems } from './endpoint.ts';
import type { AgentAdapter } from './adapter.ts';
import { aiderBackend } from './aider.ts';
import type { AgentBackend } from './backend.ts';
import { claudeBackend } from './claude.ts';
import { codexBackend } from './codex.ts';
import { commandBackend } from './command.ts';
import { geminiBackend } from './gemini.ts';
import { opencodeBackend } from './opencode.ts';

const backends: { [N in AgentName]: AgentBackend<N> } = {
  claude: claudeBackend,
  codex: codexBackend,
  command: commandBackend,
  aider: aiderBackend,
  gemini: geminiBackend,
  opencode: opencodeBackend,
};

const unknownAgent = (name: string): UsageError => new UsageError(`Unknown agent '${name}'.`, { hint: `Use one of: ${agentNames.join(', ')}.` });

/** The agent's config section, defaults applied; a clear error when the agent cannot run without one. */
function sectionOf<N extends AgentName>(name: N, config: OrchConfig): NonNullable<OrchConfig['agents'][N]> {
  const section = config.agents[name];
  if (section !== undefined) return section;
  const unconfigured = agentRecords[name].unconfigured;
  throw new UsageError(unconfigured?.message ?? `The ${name} agent has no agents.${name} section in orch.config.json.`, { hint: unconfigured?.hint });
}

function create<N extends AgentName>(name: N, config: OrchConfig): AgentAdapter {
  return backends[name].create(sectionOf(name, config), config);
}

export function createAgentAdapter(name: string, config: OrchConfig): AgentAdapter {
  if (!isAgentName(name)) throw unknownAgent(name);
  return create(name, config);
}

/** The agent's executable, resolved; a clear error when it is not installed. */
export function assertAgentInstalled(name: string, config: OrchConfig, cwd: string, pathVariable?: string): string {
  if (!isAgentName(name)) throw unknownAgent(name);
  const record = agentRecord(name);
  const program = record?.program(sectionOf(name, config));
  const found = program === undefined ? undefined : findAgentProgram(program, cwd, pathVariable);
  if (program === undefined || found === undefined) {
    const where = program?.includes('/') === true ? '' : " on PATH or in orch's own node_modules/.bin";
    throw new AgentSetupError('agent_not_found', `The ${name} agent's program '${program ?? ''}' was not found${where}.`, { hint: record?.install });
  }
  return found;
}

function credentialProblem<N extends AgentName>(name: N, config: OrchConfig, env: NodeJS.ProcessEnv) {
  const check = backends[name].credentialProblem;
  return check?.({ ...env, ...sectionOf(name, config).env });
}

/** Fails fast when an agent clearly cannot authenticate; anything less certain is left to classify() at run time. */
export function assertAgentCredentials(name: string, config: OrchConfig, env: NodeJS.ProcessEnv): void {
  if (!isAgentName(name)) throw unknownAgent(name);
  const problem = credentialProblem(name, config, env);
  if (problem !== undefined) throw new AgentSetupError('agent_auth', problem.message, { hint: problem.hint });
}

/** Fails fast when a model API the agent's environment names cannot be reached (a TCP connect, no request sent). */
export async function assertModelEndpointsReachable(name: string, config: OrchConfig, env: NodeJS.ProcessEnv): Promise<void> {
  if (!isAgentName(name)) throw unknownAgent(name);
  const problems = await namedEndpointProblems(name, { ...env, ...sectionOf(name, config).env });
  if (problems.length === 0) return;
  const variables = agentRecords[name].endpoints?.variables.join(' or ') ?? 'its base URL';
  throw new AgentSetupError('agent_endpoint', `The ${name} agent's model API cannot be reached: ${problems.join('; ')}.`, {
    hint: `Start the server it names, or fix ${variables} (unset it to use the vendor's own API).`,
  });
}

/** Whether orch checks this agent's login before a run (the README's agent table says so from the record). */
export function checksCredentials(name: AgentName): boolean {
  return backends[name].credentialProblem !== undefined;
}

export interface AgentInstallation {
  agent: AgentName;
  program: string;
  /** Where the program was found (PATH first, then orch's own install), or null when it is missing. */
  path: string | null;
  /** How to install it: the record's hint. */
  install: string;
}

/** Each agent the config can run (an agent that needs a section it lacks is left out), found or not. */
export function agentInstallations(config: OrchConfig, cwd: string): AgentInstallation[] {
  return agentNames.flatMap((agent) => {
    if (config.agents[agent] === undefined && agentRecords[agent].unconfigured !== undefined) return [];
    const record = agentRecords[agent];
    const program = record.program(sectionOf(agent, config) as never);
    if (program === undefined) return [];
    return [{ agent, program, path: findAgentProgram(program, cwd) ?? null, install: record.install }];
  });
}
