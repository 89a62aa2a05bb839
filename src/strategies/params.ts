// Parameter pieces shared by the built-in strategies.
import { z } from 'zod';
import { parseAgentChoices, type AgentChoice } from '../domain/strategy.ts';

/** `agents=claude:opus,claude:sonnet,codex` from -S, or a list from --params. */
export const agentsParam = z
  .union([z.string().min(1), z.array(z.union([z.string(), z.object({ agent: z.string(), model: z.string().optional() })]))])
  .transform((value): AgentChoice[] =>
    typeof value === 'string' ? parseAgentChoices(value) : value.flatMap((item) => (typeof item === 'string' ? parseAgentChoices(item) : [item])),
  )
  .optional()
  .describe('agents to deal out round-robin, as agent[:model], comma-separated (default: the run agents)');

/** The agent of the i-th attempt: round-robin over the choices. */
export function agentFor(choices: readonly AgentChoice[], index: number): AgentChoice | undefined {
  return choices.length === 0 ? undefined : choices[index % choices.length];
}
