// `orch init`: write a commented orch.config.json into the repository.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { agentTemplateLines } from '../../domain/agent-reference.ts';
import { defaultAgent } from '../../domain/agent-records.ts';
import { UsageError } from '../../domain/errors.ts';
import { configFileName } from '../../engine/run/config-file.ts';
import { openRepository } from '../../git/index.ts';
import { printOut } from '../output.ts';

const agentLines = agentTemplateLines();

export const configTemplate = `// orch configuration: JSON with comments. Every key is optional; the README lists them all.
{
  // The agent that works on attempts: ${agentLines.choices}.
  "agent": "${defaultAgent}",
  // Model for the agents, e.g. "sonnet" or "opus"; agents.<name>.model sets one agent's. Leave out for each agent's own default.
  // "model": "sonnet",

  // Branch the winning attempt merges into (default: the branch checked out when you run orch),
  // and the ref attempts start from (default: the target).
  // "target": "main",
  // "base": "main",

  // Your project's own checks, run in each attempt's worktree. A string runs through /bin/sh; an array as argv.
  "checks": {
    // "test": "npm test",
    // "lint": "npm run lint",
    "timeoutSeconds": 600
  },

  "timeouts": {
    // Total time one attempt may take, and how long it may stay silent before it counts as stuck.
    "attemptSeconds": 1800,
    "idleSeconds": 300
  },

  // Each agent's own settings (program, model, environment, …). For the command agent (any program), "{prompt}" is
  // replaced by the prompt inside that one argument (never a shell).
  "agents": {
${agentLines.sections.map((line) => `    ${line}`).join('\n')}
  },

  // Keep attempt worktrees after a run (their branches are always kept).
  "keepWorktrees": false
}
`;

export function registerInit(program: Command): void {
  program
    .command('init')
    .option('--force', 'overwrite an existing file')
    .option('--repo <path>', 'the repository (default: the current directory)')
    .action(async (flags: { force?: boolean; repo?: string }) => {
      const repo = await openRepository(resolve(flags.repo ?? '.'));
      const path = join(repo.root, configFileName);
      if (existsSync(path) && !flags.force) throw new UsageError(`${path} already exists.`, { hint: 'Pass --force to overwrite it.' });
      writeFileSync(path, configTemplate);
      printOut(`wrote ${path}`);
    });
}
