// The `command` agent: any program from the config, run as argv. The prompt goes into a "{prompt}" placeholder
// element or onto stdin. Its output is kept as text; its exit code decides.
import type { AgentEvent } from '../domain/agent-events.ts';
import { agentRecords } from '../domain/agent-records.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import type { AgentBackend } from './backend.ts';

export interface CommandAgentOptions {
  argv: readonly string[];
  promptVia: 'argv' | 'stdin';
  env: Record<string, string>;
}

const placeholder = '{prompt}';

export function createCommandAdapter(options: CommandAgentOptions): AgentAdapter {
  return {
    name: 'command',
    supportsResume: agentRecords.command.capabilities.resume,
    buildInvocation(spec: AgentSpec): AgentInvocation {
      const usesPlaceholder = options.argv.some((arg) => arg.includes(placeholder));
      // Plain string replacement inside one argv element: the prompt can never become a second argument.
      const argv = options.argv.map((arg) => arg.split(placeholder).join(spec.prompt));
      if (!usesPlaceholder && options.promptVia === 'argv') argv.push(spec.prompt);
      return {
        argv,
        env: { ...options.env, ...spec.env, ...(spec.model ? { ORCH_MODEL: spec.model } : {}) },
        stdin: !usesPlaceholder && options.promptVia === 'stdin' ? spec.prompt : undefined,
      };
    },
    parse(line: string): AgentEvent[] {
      return [{ kind: 'text', text: line }];
    },
    classify(exit: AgentExit): AgentClassification {
      return exit.exitCode === 0 ? 'ok' : 'fatal';
    },
  };
}

export const commandBackend: AgentBackend<'command'> = {
  create: (section) => createCommandAdapter(section),
};
