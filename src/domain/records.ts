// The records orch keeps: run, task, attempt, verdict, merge, event. Schemas validate what crosses an edge
// (store rows, API bodies); the inferred types are what the code passes around.
import { z } from 'zod';
import { attemptReasons } from './outcome.ts';
import { attemptStatuses, runStatuses } from './status.ts';

export const diffStatSchema = z.object({
  filesChanged: z.number().int(),
  insertions: z.number().int(),
  deletions: z.number().int(),
  files: z.array(z.object({ path: z.string(), insertions: z.number().int(), deletions: z.number().int() })),
});
export type DiffStat = z.infer<typeof diffStatSchema>;

export const runSchema = z.object({
  id: z.string(),
  projectPath: z.string(),
  goal: z.string(),
  strategy: z.string(),
  params: z.record(z.string(), z.unknown()),
  baseRef: z.string(),
  baseSha: z.string(),
  target: z.string(),
  status: z.enum(runStatuses),
  reason: z.string().nullable(),
  costUsd: z.number(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  /** Set on a child run started by an agent's delegate call. */
  parentRunId: z.string().nullable(),
  parentAttemptId: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

/**
 * What orch's own defences found in an attempt (they hold with or without an OS sandbox). Any of them keeps the
 * attempt from being merged without a person's review; a secret keeps it from being merged or served at all.
 */
export const attemptSecuritySchema = z.object({
  /** The repository's shared git config, hooks or info changed while the attempt ran; orch put them back. */
  tampered: z.boolean(),
  /** What changed under the common git dir (paths relative to it). With attempts running at once, the change is
   * blamed on each of them: orch cannot tell which one wrote it. */
  gitChanges: z.array(z.object({ path: z.string(), change: z.enum(['added', 'changed', 'removed']) })),
  /** Symlinks the change adds whose target leaves the worktree. */
  outsideSymlinks: z.array(z.object({ path: z.string(), target: z.string() })),
  /** Files of the change that hold a secret orch knows (a credential, the agent's key). Never the value. */
  secretFiles: z.array(z.string()),
  /** Tool calls that named a path outside the worktree (read from the agent's tool calls: a heuristic for Bash). */
  escapes: z.array(z.object({ tool: z.string(), path: z.string() })),
});
export type AttemptSecurity = z.infer<typeof attemptSecuritySchema>;

export const attemptSchema = z.object({
  id: z.string(),
  runId: z.string(),
  taskKey: z.string(),
  stepKey: z.string(),
  n: z.number().int(),
  agent: z.string(),
  model: z.string().nullable(),
  status: z.enum(attemptStatuses),
  reason: z.enum(attemptReasons).nullable(),
  detail: z.string().nullable(),
  branch: z.string(),
  worktree: z.string(),
  baseSha: z.string(),
  headSha: z.string().nullable(),
  sessionId: z.string().nullable(),
  pid: z.number().int().nullable(),
  turns: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  diff: diffStatSchema.nullable(),
  /** Null until the attempt ends (and for attempts recorded before orch looked). */
  security: attemptSecuritySchema.nullable(),
  logPath: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const checkResultSchema = z.object({
  name: z.string(),
  command: z.string(),
  exitCode: z.number().int().nullable(),
  passed: z.boolean(),
  timedOut: z.boolean(),
  durationMs: z.number().int(),
  outputTail: z.string(),
  /** It failed, then passed when run again: recorded, and never held against an attempt on its own. */
  flaky: z.boolean().optional(),
  /** How many times it ran (reruns of a failing check included). */
  runs: z.number().int().optional(),
  /** Per-test results, where the runner reports them (TAP, JUnit XML, a JSON reporter, node's spec output). */
  tests: z.object({ format: z.string(), passed: z.array(z.string()), failed: z.array(z.string()) }).optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const reviewSchema = z.object({
  score: z.number().min(0).max(10),
  pass: z.boolean(),
  reasoning: z.string(),
  risks: z.array(z.string()),
});
export type Review = z.infer<typeof reviewSchema>;

export const judgementSchema = z.object({
  /** Files that define the checks (tests, their config) the attempt changed; added test files are not here. */
  protectedFiles: z.array(z.string()),
  /** Test files the attempt added: they stay when the checks are held out. */
  addedTests: z.array(z.string()),
  /** The checks again with the base's versions of protectedFiles restored; null when none changed. */
  heldOut: z.array(checkResultSchema).nullable(),
  /** The base commit the checks were compared with, and whether its checks failed already. */
  baseSha: z.string().nullable(),
  baseRed: z.boolean(),
  /** Tests (or whole checks, where no per-test results exist) failing on the base that pass now. */
  fixed: z.array(z.string()),
  /** Tests (or checks) passing on the base that fail now. */
  broken: z.array(z.string()),
  /** Failing before and after: not held against the attempt. */
  stillFailing: z.array(z.string()),
  /** Names of checks that failed and then passed when run again. */
  flaky: z.array(z.string()),
  /** The judgement in one sentence. */
  summary: z.string(),
});
export type Judgement = z.infer<typeof judgementSchema>;

export const verdictSchema = z.object({
  id: z.string(),
  attemptId: z.string(),
  passed: z.boolean(),
  checks: z.array(checkResultSchema),
  review: reviewSchema.nullable(),
  /** Set when a review was asked for and failed (the agent failed, or its answer stayed malformed). */
  reviewError: z.string().nullable(),
  /** How the checks were weighed: against the base, held out, flaky. Null for verdicts older than this. */
  judgement: judgementSchema.nullable().optional(),
  createdAt: z.string(),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const mergeStatuses = ['merged', 'left_on_branch', 'conflict', 'checks_failed', 'failed'] as const;
export const mergeSchema = z.object({
  id: z.string(),
  runId: z.string(),
  /** Null for a team branch merging upward. */
  attemptId: z.string().nullable(),
  target: z.string(),
  status: z.enum(mergeStatuses),
  /** Where the target was before the merge (the run's base when the target did not exist yet). */
  fromSha: z.string(),
  /** Where the result is: the target's new commit, or the result branch's when the result was left there; null when nothing was merged. */
  toSha: z.string().nullable(),
  /** What happened, in a sentence; when the result was left on a branch, what to run. */
  message: z.string(),
  /** Checks the refinery ran on the merged tree (plan runs); empty otherwise. */
  checks: z.array(checkResultSchema),
  taskKey: z.string().nullable(),
  createdAt: z.string(),
});
export type Merge = z.infer<typeof mergeSchema>;

export const comparisonSchema = z.object({
  id: z.string(),
  runId: z.string(),
  stepKey: z.string(),
  aAttemptId: z.string(),
  bAttemptId: z.string(),
  winnerAttemptId: z.string(),
  /** compare_failed: the comparator could not decide; the winner is then chosen by the selection rules. */
  status: z.enum(['compared', 'compare_failed']),
  reasoning: z.string(),
  createdAt: z.string(),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const taskStatuses = ['pending', 'running', 'merged', 'failed', 'blocked'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const taskSchema = z.object({
  id: z.string(),
  runId: z.string(),
  parentId: z.string().nullable(),
  /** Unique in the run: the planner's id, prefixed by the parent task's key for subtasks (`api/auth`). */
  key: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.string(),
  dependsOn: z.array(z.string()),
  files: z.array(z.string()),
  acceptance: z.string(),
  large: z.boolean(),
  depth: z.number().int(),
  status: z.enum(taskStatuses),
  reason: z.string().nullable(),
  /** The team branch of a task planned into subtasks. */
  branch: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Task = z.infer<typeof taskSchema>;

export const projectStateSchema = z.object({
  path: z.string(),
  consecutiveFailures: z.number().int(),
  /** Patrol paused the project (too many failed runs in a row), or a person did; no run starts while paused. */
  paused: z.boolean(),
  pausedReason: z.string().nullable(),
});
export type ProjectState = z.infer<typeof projectStateSchema>;

export const agentCallKinds = ['review', 'compare', 'plan', 'resolve'] as const;
export interface AgentCallUsage {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface OrchEvent {
  seq: number;
  runId: string | null;
  attemptId: string | null;
  type: string;
  data: Record<string, unknown>;
  at: string;
}
