// What can be known wrong about an eval before any clone or run: strategies and their parameters, agent names,
// scripted tasks (they need Claude Code, and their scripts must parse). Bad input changes nothing.
import { resolve } from 'node:path';
import { agentNames, isAgentName } from '../domain/agent-records.ts';
import { UsageError } from '../domain/errors.ts';
import { parseConfig } from '../engine/run/config-file.ts';
import { loadStrategy, looksLikePath, strategySource } from '../engine/run/strategy-loader.ts';
import { validateParams } from '../engine/run/strategy-params.ts';
import { readScripts } from './cell.ts';
import type { Cell, StrategyChoice } from './matrix.ts';
import type { Suite } from './suite.ts';

/** A strategy module named by path is resolved against where orch eval runs, not against each clone. */
export function anchorStrategy(choice: StrategyChoice, cwd: string): StrategyChoice {
  return looksLikePath(choice.name) ? { ...choice, name: resolve(cwd, choice.name) } : choice;
}

export async function checkEval(suite: Suite, cells: readonly Cell[]): Promise<void> {
  if (suite.config !== undefined) parseConfig(JSON.stringify(suite.config), `The suite's "config" (${suite.path})`);
  const strategies = new Map(cells.map((c) => [c.strategy.label, c.strategy]));
  for (const choice of strategies.values()) validateParams(await loadStrategy(strategySource(choice.name, process.cwd())), choice.params);
  for (const agent of new Set(cells.map((c) => c.agent))) {
    if (!isAgentName(agent)) throw new UsageError(`Unknown agent '${agent}' in --agents.`, { hint: `Agents: ${agentNames.join(', ')}` });
  }
  for (const cell of cells) {
    if (cell.task.script !== undefined && cell.agent !== 'claude') {
      throw new UsageError(`Task ${cell.task.id} has a scripted model, which Claude Code talks to; --agents names ${cell.agent}.`, { hint: 'Run scripted suites with --agents claude.' });
    }
  }
  for (const script of new Set(cells.map((c) => c.task.script).filter((s) => s !== undefined))) readScripts(suite, script);
}
