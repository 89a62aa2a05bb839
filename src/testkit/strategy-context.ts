// A fake StrategyContext for unit tests of strategy code: no agents, no git, no store. It answers each step from
// a script (or with plain defaults), records every call in order, and behaves like the engine where a strategy
// can tell: a step key used twice in one run is an error (the engine would silently replay the first result),
// and a context made with `replayFrom` answers the steps the earlier run finished from their stored results, as
// a resumed run does — so a test can check that a strategy finds its own steps again.
import { emptyTimeline } from '../domain/timeline.ts';
import { selectWinner, type Candidate, type Selection } from '../domain/selection.ts';
import type { Attempt, Comparison, Merge, TaskStatus, Verdict } from '../domain/records.ts';
import type {
  AttemptRequest,
  IntegrationSource,
  JudgeOptions,
  PlanStepRequest,
  PlanStepResult,
  StrategyContext,
  StrategyRunSettings,
} from '../domain/strategy.ts';
import { fakeAttempt, fakeMerge, fakePlan, fakeTask, fakeVerdict, type FakePlannedTask } from './strategy-records.ts';

type Answer<T> = T | Promise<T>;

/** How each step answers. Every key a script sees is the full key, with a task's `task/<key>/` prefix. Each
 * answer is a partial record: what it leaves out comes from `fakeAttempt`, `fakeVerdict`, `fakeMerge`. */
export interface StrategyScript {
  /** Default: succeeded, with a one-file change. */
  attempt?(key: string, request: AttemptRequest, n: number): Answer<Partial<Attempt>>;
  /** Default: the `test` check passes. */
  judge?(key: string, attempt: Attempt, options: JudgeOptions | undefined): Answer<Partial<Verdict>>;
  /** The winner's attempt id, or a comparison. Default: `a` wins. */
  compare?(key: string, a: Attempt, b: Attempt): Answer<string | Partial<Comparison>>;
  /** Default: the engine's own selection (`selectWinner` with the run's selection order). */
  select?(key: string, candidates: readonly Candidate[]): Selection;
  /** Default: merged. Inside a task (plan runs) this is the refinery's merge into the task's target. */
  merge?(key: string, attempt: Attempt, target: string): Answer<Partial<Merge>>;
  /** The planned tasks, or a whole result. Default: the plan fails ("no plan in the script"). */
  plan?(key: string, request: PlanStepRequest): Answer<readonly FakePlannedTask[] | PlanStepResult>;
  /** Default: merged. */
  integrate?(key: string, source: IntegrationSource, target: string): Answer<Partial<Merge>>;
}

export type StepMethod = 'attempt' | 'judge' | 'compare' | 'select' | 'merge' | 'plan' | 'integrate' | 'teamBranch';

export interface FakeStep {
  method: StepMethod;
  /** The full key, as the engine would store it. */
  key: string;
  /** What the step was asked (the request, the attempt judged, the candidates' ids...). */
  input: unknown;
  /** Its answer, once it has one. */
  result?: unknown;
  /** Answered from `replayFrom` without asking the script. */
  replayed: boolean;
}

export interface FakeStrategyContextOptions {
  script?: StrategyScript;
  goal?: string;
  target?: string;
  runId?: string;
  settings?: Partial<StrategyRunSettings>;
  /** An earlier fake run of the same strategy: the steps it finished are answered from it, as on a resume. */
  replayFrom?: FakeStrategyContext;
}

/** The run a fake context belongs to: every task context of it shares this record. */
class FakeRun {
  readonly steps: FakeStep[] = [];
  readonly notes: { message: string; data: Record<string, unknown> }[] = [];
  readonly taskStatuses: { task: string; status: TaskStatus; reason: string | undefined }[] = [];
  readonly reports = new Map<string, string>();
  readonly controller = new AbortController();
  attempts = 0;
  constructor(
    readonly runId: string,
    readonly script: StrategyScript,
    readonly settings: StrategyRunSettings,
    readonly previous: FakeRun | undefined,
  ) {
    this.attempts = previous?.attempts ?? 0;
  }

  /** Run one keyed step: replayed if an earlier run finished it, refused if this run already used the key. */
  async step<T>(method: StepMethod, key: string, input: unknown, answer: () => Promise<T>): Promise<T> {
    if (this.steps.some((s) => s.key === key)) {
      throw new Error(`the step key '${key}' is used twice in one run (by ${method}): the engine would answer the second with the first's stored result`);
    }
    const step: FakeStep = { method, key, input, replayed: false };
    this.steps.push(step);
    // As in the engine, an interrupted attempt is an unfinished step: a resume runs it again.
    const earlier = this.previous?.steps.find((s) => s.key === key && 'result' in s && !isInterrupted(s));
    if (earlier !== undefined) {
      step.replayed = true;
      step.result = structuredClone(earlier.result);
      return step.result as T;
    }
    const result = await answer();
    step.result = result;
    return result;
  }
}

const isInterrupted = (step: FakeStep): boolean => step.method === 'attempt' && (step.result as Attempt).status === 'interrupted';

export class FakeStrategyContext {
  /** Hand this to the strategy under test. */
  readonly ctx: StrategyContext;
  private readonly run: FakeRun;

  constructor(options: FakeStrategyContextOptions = {}) {
    const settings: StrategyRunSettings = { agents: [{ agent: 'claude' }], review: false, selectionOrder: ['checks', 'review', 'score', 'lines', 'finish'], ...options.settings };
    this.run = new FakeRun(options.runId ?? 'run_fake', options.script ?? {}, settings, options.replayFrom?.run);
    this.ctx = contextFor(this.run, { goal: options.goal ?? 'make the tests pass', target: options.target ?? 'main', prefix: '', taskKey: 'main', refinery: false });
  }

  /** Every keyed step, in the order the strategy asked for them (replayed ones included). */
  get steps(): readonly FakeStep[] {
    return this.run.steps;
  }

  /** The keys of the steps, optionally of one kind: `fake.keys('attempt')`. */
  keys(method?: StepMethod): string[] {
    return this.run.steps.filter((s) => method === undefined || s.method === method).map((s) => s.key);
  }

  /** The results of one kind of step, in order: `fake.results<Attempt>('attempt')`. */
  results<T>(method: StepMethod): T[] {
    return this.run.steps.filter((s) => s.method === method && 'result' in s).map((s) => s.result as T);
  }

  get notes(): readonly { message: string; data: Record<string, unknown> }[] {
    return this.run.notes;
  }

  /** Every status a task was given, in order. */
  get taskStatuses(): readonly { task: string; status: TaskStatus; reason: string | undefined }[] {
    return this.run.taskStatuses;
  }

  /** The audit pages written, by path. */
  get reports(): ReadonlyMap<string, string> {
    return this.run.reports;
  }

  /** Stop the run: the context's signal aborts, as when a person presses Ctrl+C. */
  abort(): void {
    this.run.controller.abort();
  }
}

interface Scope {
  goal: string;
  target: string;
  prefix: string;
  taskKey: string;
  /** A task's context: merges go through the refinery into its target. */
  refinery: boolean;
}

function contextFor(run: FakeRun, scope: Scope): StrategyContext {
  const { script } = run;
  const k = (key: string): string => `${scope.prefix}${key}`;
  return {
    runId: run.runId,
    goal: scope.goal,
    target: scope.target,
    signal: run.controller.signal,
    settings: run.settings,
    attempt: (key, request = {}) =>
      run.step('attempt', k(key), request, async () => {
        const n = ++run.attempts;
        const first = run.settings.agents[0];
        const defaults = { n, runId: run.runId, stepKey: k(key), taskKey: request.taskKey ?? scope.taskKey, agent: request.agent ?? first?.agent ?? 'claude', model: request.model ?? first?.model ?? null };
        const answer = (await script.attempt?.(k(key), request, n)) ?? {};
        return fakeAttempt({ ...defaults, ...answer });
      }),
    judge: (key, attempt, options) =>
      run.step('judge', k(key), { attemptId: attempt.id, ...options }, async () => fakeVerdict(attempt, (await script.judge?.(k(key), attempt, options)) ?? {})),
    compare: (key, a, b) =>
      run.step('compare', k(key), { a: a.id, b: b.id }, async () => {
        const answer = (await script.compare?.(k(key), a, b)) ?? a.id;
        const partial = typeof answer === 'string' ? { winnerAttemptId: answer } : answer;
        return { id: `cmp_${run.steps.length}`, runId: run.runId, stepKey: k(key), aAttemptId: a.id, bAttemptId: b.id, winnerAttemptId: a.id, status: 'compared', reasoning: 'scripted', createdAt: a.finishedAt ?? '', ...partial } satisfies Comparison;
      }),
    select(key, candidates) {
      // Pure in the engine too: recorded, never awaited.
      if (run.steps.some((s) => s.key === k(key))) throw new Error(`the step key '${k(key)}' is used twice in one run (by select)`);
      const selection = script.select?.(k(key), candidates) ?? selectWinner(candidates, run.settings.selectionOrder);
      run.steps.push({ method: 'select', key: k(key), input: { candidates: candidates.map((c) => c.attempt.id) }, result: selection, replayed: false });
      return selection;
    },
    merge: (key, attempt) =>
      run.step('merge', k(key), { attemptId: attempt.id, target: scope.target, refinery: scope.refinery }, async () =>
        fakeMerge(attempt, scope.target, { taskKey: scope.refinery ? scope.taskKey : null, ...(await script.merge?.(k(key), attempt, scope.target)) }),
      ),
    note(message, data = {}) {
      run.notes.push({ message, data });
    },
    plan: (key, request) =>
      run.step('plan', k(key), { goal: request.goal, depth: request.depth, parent: request.parent?.key ?? null, maxTasks: request.maxTasks, allowLarge: request.allowLarge }, async () => {
        const answer = await script.plan?.(k(key), request);
        if (answer === undefined) return { status: 'failed', summary: 'no plan in the script' } satisfies PlanStepResult;
        if ('status' in answer) return answer;
        const plan = fakePlan(answer);
        const tasks = plan.tasks.map((t) => fakeTask(t, run.runId, request.parent, request.depth));
        return { status: 'planned', plan, tasks } satisfies PlanStepResult;
      }),
    forTask: (task, target) =>
      Promise.resolve(contextFor(run, { goal: `${task.title}\n\n${task.description}`, target, prefix: `task/${task.key}/`, taskKey: task.key, refinery: true })),
    integrate: (key, source, target) =>
      run.step('integrate', k(key), { attemptId: source.attempt?.id ?? null, branch: source.branch ?? null, target }, async () =>
        fakeMerge(source.attempt ?? null, target, { taskKey: source.taskKey ?? null, ...(await script.integrate?.(k(key), source, target)) }),
      ),
    teamBranch: (key, task, from) =>
      run.step('teamBranch', k(key), { task: task.key, from }, () => Promise.resolve(`orch/${run.runId}/team/${task.key.replace(/\//g, '--')}`)),
    setTaskStatus(task, status, reason) {
      run.taskStatuses.push({ task: task.key, status, reason });
    },
    tasksTimeline: () => emptyTimeline(run.runId),
    writeReport(relativePath, markdown) {
      run.reports.set(relativePath, markdown);
      return `/fake/audit/${run.runId}/${relativePath}`;
    },
  };
}

/** A fake context for one strategy run; see `FakeStrategyContext`. */
export function fakeStrategyContext(options: FakeStrategyContextOptions = {}): FakeStrategyContext {
  return new FakeStrategyContext(options);
}
