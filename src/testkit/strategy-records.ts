// Records as the engine would make them, filled with plain defaults, for tests of strategy code: say only what
// matters to the test (`fakeAttempt({ status: 'failed' })`), get a whole, valid record.
import type { Plan, PlannedTask } from '../domain/plan.ts';
import type { Attempt, CheckResult, Merge, Task, Verdict } from '../domain/records.ts';

const epoch = Date.parse('2026-01-01T00:00:00.000Z');
const at = (second: number): string => new Date(epoch + second * 1000).toISOString();

/** An attempt; `n` orders it (ids, branches, and finish times: attempt n finishes n seconds after the epoch).
 * A succeeded attempt has a one-file change by default; any other status has no change (no head, no diff). */
export function fakeAttempt(overrides: Partial<Attempt> & { n?: number } = {}): Attempt {
  const n = overrides.n ?? 1;
  const succeeded = (overrides.status ?? 'succeeded') === 'succeeded';
  const id = overrides.id ?? `att_${n}`;
  return {
    id,
    runId: 'run_fake',
    taskKey: 'main',
    stepKey: `attempt/${n - 1}`,
    n,
    agent: 'claude',
    model: null,
    status: 'succeeded',
    reason: succeeded ? 'completed' : 'agent_error',
    detail: null,
    branch: `orch/run_fake/${n}`,
    worktree: `/fake/worktrees/${n}`,
    baseSha: '0'.repeat(40),
    headSha: succeeded ? String(n % 10).repeat(40) : null,
    sessionId: null,
    pid: null,
    turns: 1,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    diff: succeeded ? { filesChanged: 1, insertions: n, deletions: 0, files: [{ path: `src/file-${n}.ts`, insertions: n, deletions: 0 }] } : null,
    logPath: `/fake/logs/${id}.log`,
    security: null,
    startedAt: at(0),
    finishedAt: at(n),
    ...overrides,
  };
}

/** A check that ran; failed ones end their output with `FAIL <name>`. */
export function fakeCheck(name: string, passed: boolean, overrides: Partial<CheckResult> = {}): CheckResult {
  return { name, command: `npm run ${name}`, exitCode: passed ? 0 : 1, passed, timedOut: false, durationMs: 1, outputTail: passed ? 'ok' : `FAIL ${name}`, ...overrides };
}

/** The verdict on an attempt: by default one `test` check that passes or fails with `passed`, and no review. */
export function fakeVerdict(attempt: Attempt, overrides: Partial<Verdict> = {}): Verdict {
  const passed = overrides.passed ?? overrides.checks?.every((c) => c.passed) ?? true;
  return {
    id: `ver_${attempt.id}`,
    attemptId: attempt.id,
    passed,
    checks: [fakeCheck('test', passed)],
    review: null,
    reviewError: null,
    createdAt: at(1000),
    ...overrides,
  };
}

/** A merge into `target`; merged by default. */
export function fakeMerge(attempt: Attempt | null, target: string, overrides: Partial<Merge> = {}): Merge {
  const status = overrides.status ?? 'merged';
  return {
    id: `mrg_${attempt?.id ?? 'team'}`,
    runId: attempt?.runId ?? 'run_fake',
    attemptId: attempt?.id ?? null,
    target,
    status,
    fromSha: attempt?.headSha ?? 'e'.repeat(40),
    toSha: status === 'merged' ? 'd'.repeat(40) : null,
    message: status === 'merged' ? `Merged ${attempt?.id ?? 'the team branch'} into ${target}.` : `Not merged into ${target} (${status}).`,
    checks: [],
    taskKey: null,
    createdAt: at(2000),
    ...overrides,
  };
}

/** What a planner might answer, as a test writes it: ids, dependencies, maybe `large`. */
export type FakePlannedTask = Pick<PlannedTask, 'id'> & Partial<PlannedTask>;

export function fakePlan(tasks: readonly FakePlannedTask[]): Plan {
  return {
    found: 'a fake repository',
    proposal: `${tasks.length} tasks`,
    deferred: [],
    risks: [],
    tasks: tasks.map((t) => ({ title: `task ${t.id}`, description: `do ${t.id}`, type: 'code', dependsOn: [], files: [], acceptance: '', large: false, ...t })),
  };
}

/** A planned task as the engine records it: a subtask's key is prefixed by its parent's (`api/auth`). */
export function fakeTask(planned: PlannedTask, runId: string, parent?: Task, depth = 1): Task {
  const key = parent ? `${parent.key}/${planned.id}` : planned.id;
  return {
    id: `tsk_${key.replace(/\//g, '_')}`,
    runId,
    parentId: parent?.id ?? null,
    key,
    title: planned.title,
    description: planned.description,
    type: planned.type,
    dependsOn: planned.dependsOn.map((d) => (parent ? `${parent.key}/${d}` : d)),
    files: planned.files,
    acceptance: planned.acceptance,
    large: planned.large,
    depth,
    status: 'pending',
    reason: null,
    branch: null,
    createdAt: at(0),
    finishedAt: null,
  };
}
