// Starting a cycle (import the backlog, tell the planner what earlier cycles did, reserve the money, start a run
// of strategy `cycle` through the engine) and settling it once its run is over (the backlog and the audit trail
// learn what happened). Settling is idempotent, so a daemon that died between the two writes settles again.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backlogIdOfKey, backlogKey, canMoveBacklogTask } from '../domain/backlog.ts';
import { ConflictError } from '../domain/errors.ts';
import { auditDir } from '../domain/paths.ts';
import type { RunStatus } from '../domain/status.ts';
import type { Engine, RunHandle } from '../engine/run/engine.ts';
import type { Store } from '../store/store.ts';
import type { Portfolio, PortfolioProject } from './config.ts';
import { reserveCycle } from './budget.ts';
import { cycleGoal, earlierCycleResults, failedBefore } from './cycle-prompt.ts';
import { writeCycleConfig } from './cycle-config.ts';
import { importBacklog, leftItems } from './sources/index.ts';

export interface CycleStart {
  status: 'started';
  handle: RunHandle;
  reservedUsd: number;
}

export interface CycleRefused {
  status: 'refused';
  reason: string;
}

/** A cycle is over once its run ended for good or failed; an interrupted one waits to be resumed. */
export const isCycleOver = (status: RunStatus): boolean => status === 'succeeded' || status === 'failed' || status === 'canceled';

/** The cycle of `project` whose run is not over yet, if any: at most one runs per project. */
export function openCycle(store: Store, project: string): string | null {
  for (const cycle of store.cycles.list(project, 5)) {
    if (cycle.settledAt === null && !isCycleOver(store.runs.get(cycle.runId).status)) return cycle.runId;
  }
  return null;
}

/**
 * Start one cycle of `project` now, or say why not (a cycle runs, the project is paused, its budget is spent).
 * `pendingUsd` is money other cycles have reserved but not recorded yet (the daemon starts several at once).
 */
export async function startCycle(engine: Engine, portfolio: Portfolio, project: PortfolioProject, options: { configDir: string; pendingUsd?: number; signal?: AbortSignal }): Promise<CycleStart | CycleRefused> {
  const store = engine.store;
  const running = openCycle(store, project.name);
  if (running !== null) return { status: 'refused', reason: `cycle ${running} is still running` };
  const paused = store.projects.get(project.path);
  if (paused.paused) return { status: 'refused', reason: `paused: ${paused.pausedReason ?? 'by hand'}` };
  const reservation = reserveCycle(store, portfolio, project, options.pendingUsd ?? 0);
  if (!reservation.ok) return { status: 'refused', reason: reservation.reason ?? 'no budget left' };

  await importBacklog(store, project);
  const backlog = store.backlog.list(project.name).filter((t) => t.status === 'pending' || t.status === 'failed' || t.status === 'blocked');
  const ready = backlog.filter((t) => t.dependsOn.every((d) => store.backlog.get(d).status === 'done'));
  const earlier = earlierCycleResults(store, project.name);
  const configPath = writeCycleConfig(options.configDir, project);
  const handle = await engine.startRun(
    {
      repoPath: project.path,
      goal: cycleGoal(project, ready, earlier),
      strategy: 'cycle',
      params: {
        project: project.name,
        worker: project.worker.strategy,
        ...(project.worker.n !== undefined ? { n: project.worker.n } : {}),
        ...(project.worker.rounds !== undefined ? { rounds: project.worker.rounds } : {}),
        maxTasks: project.maxTasksPerCycle ?? project.maxWorkers,
        context: project.plannerContextFiles,
        avoid: failedBefore(earlier),
        closed: leftItems(store, project.name).map((item) => ({ key: backlogKey(item.id), reason: item.reason })),
      },
      configPath,
      maxAgents: project.maxWorkers,
      priority: project.priority,
      maxRunCostUsd: reservation.usd,
      ...(project.target !== undefined ? { target: project.target } : {}),
    },
    options.signal ? { signal: options.signal } : {},
  );
  store.cycles.record(handle.runId, project.name, reservation.usd);
  return { status: 'started', handle, reservedUsd: reservation.usd };
}

/** Write a cycle's end back: backlog items its tasks named, the plan and report at .orch/plans/cycle_<id>.md. */
export function settleCycle(store: Store, runId: string): string {
  const cycle = store.cycles.get(runId);
  const run = store.runs.get(runId);
  if (!isCycleOver(run.status)) throw new ConflictError(`Cycle ${runId} is ${run.status}; it is settled once its run is over.`);
  if (cycle.settledAt !== null) return cycle.summary ?? '';
  const tasks = store.tasks.listByRun(runId);
  const attempts = store.attempts.listByRun(runId);
  const costOf = (key: string) => attempts.filter((a) => a.taskKey === key || a.taskKey.startsWith(`${key}/`)).reduce((sum, a) => sum + a.costUsd, 0);
  const results: string[] = [];
  for (const task of tasks) {
    const cost = costOf(task.key);
    results.push(`| ${task.key} | ${task.title.replace(/\|/g, '/')} | ${task.status} | $${cost.toFixed(4)} | ${(task.reason ?? '').replace(/\s+/g, ' ').replace(/\|/g, '/').slice(0, 300)} |`);
    const link = backlogIdOfKey(task.key);
    if (link === null) continue;
    let item;
    try {
      item = store.backlog.get(link.id);
    } catch {
      continue;
    }
    if (item.project !== cycle.project) continue;
    // Deferred while the cycle ran (by hand, or its issue left): unless the work merged anyway, it stays as it was.
    if (item.status === 'deferred' && task.status !== 'merged') continue;
    const status = task.status === 'merged' ? (link.whole ? 'done' : 'pending') : task.status === 'failed' ? 'failed' : 'pending';
    store.backlog.recordCycleResult(item.id, runId, task.key, status, task.reason ?? task.status, cost);
  }
  const merged = tasks.filter((t) => t.status === 'merged').length;
  const summary = `${run.status}: ${merged} of ${tasks.length} task(s) merged, $${run.costUsd.toFixed(4)}${run.reason ? ` — ${run.reason}` : ''}`;
  const planPath = writeCyclePlan(run.projectPath, runId, summary, results, run.costUsd);
  store.cycles.settle(runId, summary, planPath);
  return summary;
}

function writeCyclePlan(repoRoot: string, runId: string, summary: string, results: string[], cost: number): string | null {
  let plan = '(the planner produced no plan)';
  try {
    plan = readFileSync(join(auditDir(repoRoot, runId), 'plans', 'run.md'), 'utf8');
  } catch {
    // No plan step finished: the report still says what happened.
  }
  const path = join(repoRoot, '.orch', 'plans', `cycle_${runId}.md`);
  const table = results.length > 0 ? ['| task | title | result | cost | why |', '|---|---|---|---|---|', ...results].join('\n') : '(no tasks)';
  try {
    mkdirSync(join(repoRoot, '.orch', 'plans'), { recursive: true });
    writeFileSync(path, `# Cycle ${runId}\n\n${summary}\n\nTotal cost: $${cost.toFixed(4)}\n\n## Results\n\n${table}\n\n---\n\n${plan}`);
    return path;
  } catch {
    return null;
  }
}

/**
 * While a cycle works, the backlog items its tasks name show as running: listens to this process's events (a
 * task of a cycle's run starting) and moves the item, when its lifecycle allows. Returns the unsubscribe.
 */
export function trackRunningBacklog(store: Store): () => void {
  return store.events.subscribe((event) => {
    if (event.type !== 'task.running' || event.runId === null || typeof event.data['key'] !== 'string') return;
    const link = backlogIdOfKey(event.data['key']);
    if (link === null || !link.whole) return;
    const runId = event.runId;
    // Listeners run while the store publishes a committed transaction: write in a transaction of our own, after it.
    queueMicrotask(() => {
      const cycle = store.cycles.find(runId);
      if (cycle === undefined) return;
      try {
        const item = store.backlog.get(link.id);
        if (item.project === cycle.project && canMoveBacklogTask(item.status, 'running') && item.status !== 'running') store.backlog.setStatus(item.id, 'running', `worked on by cycle ${runId}`);
      } catch {
        // The planner named an item that does not exist (or the store closed): nothing to show.
      }
    });
  });
}
