// `orch demo`: the whole flow on a sample repository with no API key. The MODEL is scripted (a fake Anthropic
// API on 127.0.0.1); Claude Code, git, the checks and the merge are all real.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AgentSetupError, UsageError } from '../../domain/errors.ts';
import { findAgentProgram, orchProgramDirs } from '../../process/orch-programs.ts';
import { findExecutable } from '../../process/which.ts';
import { createDemoProject, demoGoal, demoScript, startScriptedAnthropicServer } from '../../testkit/index.ts';
import { printErr, printJson, printOut } from '../output.ts';
import { runWithProgress, sandboxFlag } from './run.ts';

/**
 * The Claude Code that `scripts/dev demo` installs into orch's node_modules (the version the scripted model was
 * written against), else the user's own `claude`. A slim install (`scripts/dev setup`) has none: say how to get it.
 */
export function claudeBinary(): string {
  const bundled = orchProgramDirs().map((dir) => join(dir, 'claude')).find((path) => existsSync(path));
  if (bundled !== undefined) return bundled;
  if (findAgentProgram('claude', process.cwd()) !== undefined) return 'claude';
  throw new AgentSetupError('agent_not_found', 'orch demo drives the real Claude Code CLI, and it is not installed.', {
    hint: 'Run scripts/dev demo (it installs Claude Code into this checkout), or: npm install -g @anthropic-ai/claude-code',
  });
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .option('--dir <path>', 'where to create the sample repository (default: a new temp directory)')
    .option('--sandbox <mode>', 'where the agent and the checks run: auto | bwrap | none (default auto)')
    .option('--json', 'print one machine-readable result on stdout')
    .option('--no-tui', 'plain progress lines on stderr instead of the dashboard')
    .action(async (flags: { dir?: string; json?: boolean; tui: boolean; sandbox?: string }) => {
      const sandbox = sandboxFlag(flags.sandbox);
      const binary = claudeBinary();
      const dir = flags.dir ? resolve(flags.dir) : mkdtempSync(join(tmpdir(), 'orch-demo-'));
      if (flags.dir && existsSync(dir) && readdirSync(dir).length > 0) {
        throw new UsageError(`${dir} is not empty.`, { hint: 'Give --dir a new or empty directory.' });
      }
      const server = await startScriptedAnthropicServer({ script: demoScript });
      printErr('orch demo — the model is SCRIPTED: a fake Anthropic API on ' + server.url + ' answers with a fixed script.');
      printErr('Claude Code, git, the tests and the merge are real. No API key is used or needed.\n');
      try {
        await createDemoProject(dir, { agent: 'claude', checks: { test: 'node --test' }, agents: { claude: { binary } } });
        printErr(`sample repository: ${dir} (main has a failing test)\n`);
        const agentEnv = {
          ANTHROPIC_BASE_URL: server.url,
          ANTHROPIC_API_KEY: 'scripted-demo-key',
          CLAUDE_CONFIG_DIR: join(dir, '..', `${dir.split('/').at(-1) ?? 'demo'}-claude`),
        };
        const report = await runWithProgress((engine, signal) => engine.run({ repoPath: dir, goal: demoGoal, agentEnv, ...(sandbox === undefined ? {} : { sandbox }) }, signal), { tui: flags.tui });
        if (flags.json) return printJson({ repository: dir, ...report });
        printOut('');
        printOut(`${report.run.status === 'succeeded' ? '✔' : '✘'} run ${report.run.id} ${report.run.status}: ${report.run.reason ?? ''}`);
        printOut('\nWhere to look:');
        printOut(`  the merged fix:   git -C ${dir} log --oneline --graph main`);
        printOut(`  the audit trail:  ${report.auditDir}`);
        printOut(`  the run:          orch show ${report.run.id}`);
        printOut(`  the agent's work: orch logs ${report.attempts[0]?.id ?? '<attempt>'}`);
        if (findExecutable('orch', process.cwd()) === undefined) {
          printOut(`\n(to type orch from this checkout: export PATH="${fileURLToPath(new URL('../../../bin', import.meta.url))}:$PATH")`);
        }
        process.exitCode = report.run.status === 'succeeded' ? 0 : 1;
      } finally {
        await server.close();
      }
    });
}
