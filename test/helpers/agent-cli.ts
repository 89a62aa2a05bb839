// Shared setup for the adapter tests that run a REAL agent CLI against a scripted model server: workspaces and servers
// cleaned up after each test, a run that keeps the agent's stderr, and the process listing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AgentEvent } from '../../src/domain/agent-events.ts';
import type { AgentAdapter, AgentSpec } from '../../src/agents/adapter.ts';
import { runAgent, type AgentRun, type AgentRunOptions } from '../../src/agents/run-agent.ts';
import { guard } from './slack.ts';
import type { ScriptedServerOptions, ScriptTurnInput } from '../../src/testkit/index.ts';

export type Cleanup = () => Promise<void> | void;

export interface Workspace {
  root: string;
  cwd: string;
  stateDir: string;
}

export interface AgentCliKit<Server> {
  /** Run in reverse order after each test. */
  cleanups: Cleanup[];
  /** A temporary root with an empty `work` directory (the agent's cwd) and a `state` directory to be. */
  workspace: () => Workspace;
  /** A scripted server for one test. */
  serve: (script: ScriptTurnInput[]) => Promise<Server>;
}

/** Call at the top level of a test file: `name` tags the temporary directories, `start` starts a scripted server. */
export function useAgentCli<Server extends { close(): Promise<void> }>(name: string, start: (options: ScriptedServerOptions) => Promise<Server>): AgentCliKit<Server> {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    workspace: () => {
      const root = mkdtempSync(join(tmpdir(), `orch-${name}-test-`));
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      const cwd = join(root, 'work');
      mkdirSync(cwd);
      return { root, cwd, stateDir: join(root, 'state') };
    },
    serve: async (script) => {
      const server = await start({ script });
      cleanups.push(() => server.close());
      return server;
    },
  };
}

export interface Run extends AgentRun {
  stderr: string;
}

/** Runs the agent (30 s in all on a quiet machine unless `extra` says otherwise, stretched by the test slack), logging to the state dir, and reads back its stderr. */
export async function runCli(adapter: AgentAdapter, agentSpec: AgentSpec, extra: Partial<AgentRunOptions> = {}): Promise<Run> {
  const logPath = join(agentSpec.stateDir, `run-${Date.now()}.jsonl`);
  const result = await runAgent({ adapter, spec: agentSpec, logPath, ...extra, totalTimeoutMs: guard(extra.totalTimeoutMs ?? 30_000) });
  const stderr = readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { s: string; line: string })
    .filter((entry) => entry.s === 'stderr')
    .map((entry) => entry.line)
    .join('\n');
  return { ...result, stderr };
}

export function resultOf(agentRun: Run): Extract<AgentEvent, { kind: 'result' }> {
  if (agentRun.result === undefined) throw new Error(`no result event; exit ${agentRun.process.exitCode}; stderr: ${agentRun.stderr}\nevents: ${JSON.stringify(agentRun.events)}`);
  return agentRun.result;
}

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

export function processes(): Proc[] {
  // Zombies (killed, not yet reaped by a container's init) are dead: left out.
  return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => {
      const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
      if (match === null || (match[4] ?? '').startsWith('Z')) return [];
      return [{ pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), args: match[5] ?? '' }];
    });
}

/** Process groups of the live processes whose command line holds `text`. */
export function groupsRunning(text: string): number[] {
  return processes()
    .filter((proc) => proc.args.includes(text))
    .map((proc) => proc.pgid);
}
