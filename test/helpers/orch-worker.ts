// `orch worker` processes for tests: each with its own ORCH_HOME, started through bin/orch.js as users start it,
// ready once its heartbeat is in Redis; stopped (or killed -9) by the test, and killed after the file's tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { connectRedis } from '../../src/distributed/connection.ts';
import { listWorkers } from '../../src/distributed/workers-list.ts';
import { repoRoot } from './orch-cli.ts';
import { waitFor } from './wait-for.ts';

export interface TestWorker {
  name: string;
  home: string;
  child: ChildProcess;
  /** What it printed, both streams. */
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  redis: string;
  home: string;
  name: string;
  agents: string;
  config: string;
  cwd: string;
  env?: Record<string, string>;
  concurrency?: number;
  stallSeconds?: number;
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));

/** Worker processes of one test file's tests, killed after each test. Call at the top level. */
export function useWorkers(): (options: WorkerOptions) => Promise<TestWorker> {
  const started: TestWorker[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((worker) => worker.kill9()));
  });
  return async (options) => {
    const args = [`${repoRoot}/bin/orch.js`, 'worker', '--redis', options.redis, '--agents', options.agents, '--config', options.config, '--name', options.name];
    args.push('--concurrency', String(options.concurrency ?? 2), '--stall-seconds', String(options.stallSeconds ?? 30));
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ORCH_HOME: options.home, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const worker: TestWorker = {
      name: options.name,
      home: options.home,
      child,
      output: () => output,
      kill9: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited(child);
      },
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited(child);
      },
    };
    started.push(worker);
    const redis = connectRedis(options.redis);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`orch worker ${options.name} exited ${child.exitCode}: ${output}`);
          return (await listWorkers(redis)).some((beat) => beat.id === options.name);
        },
        { timeoutMs: 60_000, intervalMs: 100, what: `worker ${options.name} to beat` },
      );
    } finally {
      redis.disconnect();
    }
    return worker;
  };
}
