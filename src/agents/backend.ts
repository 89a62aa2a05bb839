// What agents/registry.ts needs from each agent's adapter module, beside the agent's record in domain/.
import type { AgentName } from '../domain/agent-records.ts';
import type { OrchConfig } from '../domain/config.ts';
import type { AgentAdapter } from './adapter.ts';

export interface CredentialProblem {
  message: string;
  hint: string;
}

export interface AgentBackend<N extends AgentName> {
  /** An adapter for one run (parsers may keep state), from the agent's section of the config (defaults applied)
   * and the whole config. */
  create: (section: NonNullable<OrchConfig['agents'][N]>, config: OrchConfig) => AgentAdapter;
  /** Why the agent surely cannot authenticate with `env` (the inherited environment under the section's env), or
   * undefined when it can or might: anything less certain is left to classify() at run time. */
  credentialProblem?: (env: Readonly<Record<string, string | undefined>>) => CredentialProblem | undefined;
}
