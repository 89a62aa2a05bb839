// One cell of the matrix: a normal orch run in a throwaway clone, then the hidden check on what it landed and on
// every attempt's commit (pass@k: would a perfect selection have found a passing attempt?).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditedRunReport } from '../domain/run-report.ts';
import type { SandboxSetting } from '../domain/config.ts';
import { ConfigError } from '../domain/errors.ts';
import type { Engine } from '../engine/engine.ts';
import { git } from '../git/index.ts';
import type { SandboxRequest } from '../sandbox/index.ts';
import { parseScripts, startScriptedAnthropicServer, type ScriptedAnthropicServer, type ScriptInput } from '../testkit/index.ts';
import { runHiddenCheck, type HiddenOutcome } from './hidden-check.ts';
import { configurationLabel, type Cell } from './matrix.ts';
import type { CellResult } from './results.ts';
import { suitePath, type Suite } from './suite.ts';
import { cloneForCell, evalTarget } from './task-repo.ts';

export interface CellContext {
  engine: Engine;
  suite: Suite;
  /** Each task's repository source (a path, a bundle, or the URL's mirror). */
  sources: Map<string, string>;
  outDir: string;
  /** The runs' sandbox (`--sandbox`), over the config's. */
  sandbox: SandboxSetting | undefined;
  hiddenSandbox: SandboxRequest;
  /** The Claude Code CLI scripted tasks run (the one shipped with orch). */
  claudeBinary: string;
  /** Ask the AI reviewer in every run (`--review`). */
  review: boolean;
  signal: AbortSignal;
}

/** A task's model scripts, checked (a ConfigError names what is wrong). */
export function readScripts(suite: Suite, file: string): ScriptInput[] {
  const path = suitePath(suite, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the model script ${path}: ${(error as Error).message}`);
  }
  parseScripts(raw);
  return raw as ScriptInput[];
}

/** The orch config for the cell's run, as a file; undefined: the repository's own. */
function runConfig(ctx: CellContext, cell: Cell, cellDir: string): string | undefined {
  if (ctx.suite.config === undefined && cell.task.script === undefined) return undefined;
  const config: Record<string, unknown> = { ...ctx.suite.config };
  if (cell.task.script !== undefined) {
    const agents = (config['agents'] ?? {}) as Record<string, Record<string, unknown>>;
    config['agents'] = { ...agents, claude: { binary: ctx.claudeBinary, ...agents['claude'] } };
  }
  const path = join(cellDir, 'orch.config.json');
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

async function scriptedServer(ctx: CellContext, cell: Cell): Promise<ScriptedAnthropicServer | null> {
  if (cell.task.script === undefined) return null;
  return startScriptedAnthropicServer({ scripts: readScripts(ctx.suite, cell.task.script) });
}

async function tipOf(root: string): Promise<string> {
  return (await git(['rev-parse', `refs/heads/${evalTarget}`], { cwd: root })).stdout.trim();
}

export async function runCell(ctx: CellContext, cell: Cell): Promise<CellResult | null> {
  const cellDir = join(ctx.outDir, 'cells', cell.slug);
  const root = join(cellDir, 'repo');
  mkdirSync(cellDir, { recursive: true });
  const baseSha = await cloneForCell(cell.task, ctx.sources.get(cell.task.id) ?? cell.task.repo, root);
  const server = await scriptedServer(ctx, cell);
  const started = Date.now();
  let report: AuditedRunReport;
  try {
    const configPath = runConfig(ctx, cell, cellDir);
    const agentEnv: Record<string, string> = server === null ? {} : { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'scripted-eval-key', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CONFIG_DIR: join(cellDir, 'claude') };
    const { done } = await ctx.engine.startRun(
      {
        repoPath: root,
        goal: cell.task.goal,
        strategy: cell.strategy.name,
        params: cell.strategy.params,
        agent: cell.agent,
        ...(cell.model === null ? {} : { model: cell.model }),
        target: evalTarget,
        ...(cell.task.testCmd === undefined ? {} : { testCmd: cell.task.testCmd }),
        ...(configPath === undefined ? {} : { configPath }),
        ...(ctx.sandbox === undefined ? {} : { sandbox: ctx.sandbox }),
        ...(ctx.review ? { review: true } : {}),
        agentEnv,
      },
      { signal: ctx.signal },
    );
    report = await done;
  } finally {
    await server?.close();
  }
  const durationMs = Date.now() - started;
  if (report.run.status === 'interrupted' || ctx.signal.aborted) return null;

  const hidden = new Map<string, Promise<HiddenOutcome>>();
  const patch = cell.task.hidden.patch === undefined ? null : suitePath(ctx.suite, cell.task.hidden.patch);
  const judge = (sha: string): Promise<HiddenOutcome> => {
    let outcome = hidden.get(sha);
    if (outcome === undefined) {
      // One at a time: each check gets the machine to itself, as it would alone.
      const previous = Promise.all(hidden.values()).catch(() => undefined);
      const scratch = join(cellDir, `hidden-${hidden.size}`);
      outcome = previous.then(() => runHiddenCheck({ root, sha, check: cell.task.hidden, patch, scratch, sandbox: cell.task.hidden.network ? { ...ctx.hiddenSandbox, network: 'host' } : ctx.hiddenSandbox, signal: ctx.signal }));
      hidden.set(sha, outcome);
    }
    return outcome;
  };
  const tip = await tipOf(root);
  const landed = await judge(tip);
  const merged = new Set(report.merges.filter((m) => m.status === 'merged' && m.attemptId !== null).map((m) => m.attemptId));
  const attempts = await Promise.all(
    report.attempts.map(async (attempt) => {
      const changed = attempt.headSha !== null && attempt.headSha !== baseSha;
      const verdict = report.verdicts.filter((v) => v.attemptId === attempt.id).at(-1);
      return {
        id: attempt.id,
        n: attempt.n,
        checksPassed: verdict?.passed ?? null,
        hiddenPassed: changed && attempt.headSha !== null ? (await judge(attempt.headSha)).passed : null,
        selected: merged.has(attempt.id),
      };
    }),
  );
  return {
    cell: cell.id,
    task: cell.task.id,
    agent: cell.agent,
    model: cell.model,
    strategy: cell.strategy.label,
    configuration: configurationLabel(cell),
    rep: cell.rep,
    scripted: server !== null,
    runId: report.run.id,
    runStatus: report.run.status,
    landed: tip !== baseSha,
    resolved: landed.passed,
    passAtK: attempts.some((a) => a.hiddenPassed === true),
    attempts,
    costUsd: report.run.costUsd,
    durationMs,
    hiddenOutput: landed.output,
    error: report.run.status === 'succeeded' ? null : (report.run.reason ?? report.run.status),
    finishedAt: new Date().toISOString(),
  };
}
