// The strategy API: a strategy is plain async code over a context whose every call is a durable, keyed step.
// Keys must come from the strategy's inputs (never time or randomness) so a resumed run finds its finished steps.
import type { RunTimeline } from './timeline.ts';
import type { z } from 'zod';
import type { Plan } from './plan.ts';
import type { Attempt, Comparison, Merge, Task, TaskStatus, Verdict } from './records.ts';
import type { Candidate, Selection, SelectionCriterion } from './selection.ts';

/** An agent, optionally with a model: `claude`, `claude:opus`, `codex`. */
export interface AgentChoice {
  agent: string;
  model?: string | undefined;
}

export interface AttemptRequest {
  /** The task this attempt works on; 'main' for single-task strategies. */
  taskKey?: string;
  /** Which agent to use; default: the run's first agent. */
  agent?: string;
  model?: string;
  /** Extra instructions appended to the goal (feedback from a review, a failed check). */
  feedback?: string;
  /** Go on from this attempt's work: its agent session where the agent can resume one, else its branch. */
  continueFrom?: Attempt;
}

export interface JudgeOptions {
  /** Ask the AI reviewer too (default: the run's review setting). */
  review?: boolean;
}

export interface StrategyRunSettings {
  /** The agents the user chose, in order; strategies deal them out round-robin. */
  agents: readonly AgentChoice[];
  /** Whether judging includes the AI reviewer. */
  review: boolean;
  selectionOrder: readonly SelectionCriterion[];
}

export interface PlanStepRequest {
  goal: string;
  /** 1 for the top level; a subplan of a large task is one deeper. */
  depth: number;
  /** The task this plan splits (subplans). */
  parent?: Task | undefined;
  maxTasks: number;
  /** Whether the planner may mark tasks large (there is depth and task budget left). */
  allowLarge: boolean;
  contextFiles: readonly string[];
}

export type PlanStepResult = { status: 'planned'; plan: Plan; tasks: Task[] } | { status: 'failed'; summary: string };

/** What to integrate into a branch: an attempt's work, or a team branch's. */
export interface IntegrationSource {
  attempt?: Attempt | undefined;
  /** A branch to merge (a team branch); its tip is taken when the step first runs. */
  branch?: string | undefined;
  /** What the work is for, in words (the resolver is told, if there are conflicts). */
  intent: string;
  taskKey?: string | undefined;
}

export interface StrategyContext {
  readonly runId: string;
  readonly goal: string;
  /** The branch this context's work merges into: the run's target, or a team branch. */
  readonly target: string;
  readonly signal: AbortSignal;
  readonly settings: StrategyRunSettings;
  /** Run one agent attempt in its own worktree and branch. */
  attempt(key: string, request?: AttemptRequest): Promise<Attempt>;
  /** Run the project's checks on an attempt, and the AI reviewer where asked. */
  judge(key: string, attempt: Attempt, options?: JudgeOptions): Promise<Verdict>;
  /** Ask the reviewer which of two attempts better achieves the goal. */
  compare(key: string, a: Attempt, b: Attempt): Promise<Comparison>;
  /** Choose a winner by the run's selection order; recorded with its reason. */
  select(key: string, candidates: readonly Candidate[]): Selection;
  /** Integrate an attempt into the run's target branch. */
  merge(key: string, attempt: Attempt): Promise<Merge>;
  /** Record progress a person should see. */
  note(message: string, data?: Record<string, unknown>): void;
  /** Ask the planner for a task graph; the tasks are recorded with the run. */
  plan(key: string, request: PlanStepRequest): Promise<PlanStepResult>;
  /** A context for one task: its goal is the task's, its attempts start from `target` as it stands when the task
   * starts (its dependencies merged), and its merges go through the refinery into `target`. */
  forTask(task: Task, target: string, round?: number): Promise<StrategyContext>;
  /** Merge work into a branch through the refinery: conflicts resolved by an agent, checks on the merged tree,
   * the branch moved only if they pass. */
  integrate(key: string, source: IntegrationSource, target: string): Promise<Merge>;
  /** A team branch for a large task, made from `from` as it stands now; returns its name. */
  teamBranch(key: string, task: Task, from: string): Promise<string>;
  setTaskStatus(task: Task, status: TaskStatus, reason?: string): void;
  /** The timeline of some of the run's tasks (a plan level's, their subtasks included), from the event log so far. */
  tasksTimeline(taskKeys: readonly string[]): RunTimeline;
  /** Write a page of the audit trail (a level report of a plan run); returns its path. */
  writeReport(relativePath: string, markdown: string): string;
}

export interface StrategyOutcome {
  status: 'succeeded' | 'failed';
  /** One sentence: why the run ended this way. */
  summary: string;
  winner?: string | undefined;
  selection?: Selection | undefined;
  merge?: Merge | undefined;
}

export interface Strategy<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  execute(ctx: StrategyContext, goal: string, params: P): Promise<StrategyOutcome>;
}

export function defineStrategy<P>(strategy: Strategy<P>): Strategy<P> {
  return strategy;
}

/** Parse `agent[:model]` lists as users write them: `claude:opus,claude:sonnet,codex`. */
export function parseAgentChoices(text: string): AgentChoice[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [agent = '', ...model] = part.split(':');
      return model.length > 0 ? { agent, model: model.join(':') } : { agent };
    });
}
