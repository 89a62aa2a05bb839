// The eval matrix: every task × agent × model × strategy × repetition is one cell, one orch run. A cell's id is
// derived from its coordinates only, so a re-run of the same matrix finds the cells already done.
import { createHash } from 'node:crypto';
import { UsageError } from '../domain/errors.ts';
import { parseParamPairs } from '../engine/run/strategy-params.ts';
import type { EvalTask, Suite } from './suite.ts';

export interface StrategyChoice {
  /** As the user wrote it (`best-of-n:n=2`): the configuration's name in tables and plots. */
  label: string;
  name: string;
  params: Record<string, unknown>;
}

export interface Cell {
  id: string;
  /** A folder name for the cell's clone: readable, unique. */
  slug: string;
  task: EvalTask;
  agent: string;
  model: string | null;
  strategy: StrategyChoice;
  rep: number;
  /** A hash of the task's definition: a result recorded for an earlier version of the task does not count. */
  taskHash: string;
}

export interface MatrixRequest {
  /** `agent` (crossed with `models`) or `agent:model` (that model only). */
  agents: string[];
  /** Empty: each agent's default model. */
  models: string[];
  strategies: StrategyChoice[];
  reps: number;
  /** Only these tasks (default: all). */
  tasks?: string[] | undefined;
}

/** `name` or `name:key=value:key=value` (a strategy's parameters, as `-S key=value` gives them to orch run). */
export function parseStrategyChoice(text: string): StrategyChoice {
  const [name = '', ...pairs] = text.trim().split(':');
  if (name === '') throw new UsageError(`'${text}' names no strategy.`, { hint: 'Write --strategies single,best-of-n:n=2' });
  const bad = pairs.find((pair) => pair.indexOf('=') <= 0);
  if (bad !== undefined) throw new UsageError(`'${bad}' in --strategies is not key=value.`, { hint: 'Write a parameter as best-of-n:n=2' });
  // The same values as -S key=value gives orch run (JSON where they parse as JSON).
  return { label: text.trim(), name, params: parseParamPairs(pairs) };
}

/** A comma-separated flag as a list; blank entries are an error, not silently dropped. */
export function listFlag(flag: string, value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${flag} has an empty entry: '${value}'.`, { hint: `Separate the entries of ${flag} with single commas.` });
  return items;
}

export function configurationLabel(cell: Pick<Cell, 'agent' | 'model' | 'strategy'>): string {
  return `${cell.agent}${cell.model === null ? '' : `:${cell.model}`} ${cell.strategy.label}`;
}

export function buildCells(suite: Suite, request: MatrixRequest): Cell[] {
  if (!Number.isInteger(request.reps) || request.reps < 1) throw new UsageError(`--reps must be a positive whole number, not ${request.reps}.`);
  const unknown = (request.tasks ?? []).filter((id) => !suite.tasks.some((t) => t.id === id));
  if (unknown.length > 0) throw new UsageError(`The suite has no task ${unknown.join(', ')}.`, { hint: `Its tasks: ${suite.tasks.map((t) => t.id).join(', ')}` });
  const tasks = request.tasks === undefined ? suite.tasks : suite.tasks.filter((t) => request.tasks?.includes(t.id));
  const models = request.models.length > 0 ? request.models : [null];
  const agents = request.agents.flatMap((entry) => {
    const colon = entry.indexOf(':');
    return colon < 0 ? models.map((model) => ({ agent: entry, model })) : [{ agent: entry.slice(0, colon), model: entry.slice(colon + 1) }];
  });
  const cells: Cell[] = [];
  for (const task of tasks) {
    const taskHash = createHash('sha256').update(JSON.stringify(task)).digest('hex').slice(0, 16);
    for (const { agent, model } of agents)
      for (const strategy of request.strategies)
        for (let rep = 0; rep < request.reps; rep++) {
          const id = [task.id, agent, model ?? '-', strategy.label, String(rep)].join('|');
          const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
          const slug = `${task.id}-${agent}-${strategy.name}-${rep}`.replace(/[^a-z0-9._-]+/gi, '-').slice(0, 60) + `-${hash}`;
          cells.push({ id, slug, task, agent, model, strategy, rep, taskHash });
        }
  }
  return cells;
}
