// `orch worker`: takes attempt jobs from the queues of the agents this machine has, runs each with the executor it
// is given (a LocalExecutor under this machine's ORCH_HOME: its sandbox, its credential pools) in a fresh worktree of
// its own mirror of the repository, pushes the attempt branch, and streams the events back. BullMQ holds a lock on
// each job while it runs; a worker that dies stops renewing it, and another worker takes the job again.
import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { orchPaths, projectSlug } from '../domain/paths.ts';
import type { AttemptSpec, Executor, StopRequest } from '../executor/contract.ts';
import { addWorktree, deleteBranch, git, isOrchBranch, removeWorktree, type Repository } from '../git/index.ts';
import { fetchOrchBranches, remoteGit, syncMirror, withMirror } from '../remote/mirror.ts';
import { connectRedis, redisOptions } from './connection.ts';
import { EventStreamWriter } from './event-stream.ts';
import { heartbeatEveryMs, heartbeatTtlSeconds, parseStop, queueName, queuePrefix, redisKeys, type AttemptJob, type AttemptJobResult, type WorkerBeat, type WorkerIdentity } from './protocol.ts';

export interface AttemptWorkerOptions {
  redisUrl: string;
  /** This machine's ORCH_HOME: mirrors, worktrees, the sandbox's private homes. */
  home: string;
  /** The agents this machine has: it listens to their queues only. */
  agents: string[];
  /** Attempts at once from each agent's queue. */
  concurrency: number;
  /** How long a job's lock lives unrenewed: an attempt of a worker that died goes to another after about this. */
  lockMs: number;
  executor: Executor;
  name?: string | undefined;
  logger?: Logger | undefined;
}

interface Running {
  control: AbortController;
  runId: string;
  agent: string;
  since: string;
}

export class AttemptWorker {
  readonly identity: WorkerIdentity;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly workers: Worker<AttemptJob, AttemptJobResult>[] = [];
  private readonly running = new Map<string, Running>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly options: AttemptWorkerOptions) {
    this.identity = { id: options.name ?? `${hostname()}-${process.pid}`, host: hostname() };
    this.redis = connectRedis(options.redisUrl);
    this.subscriber = connectRedis(options.redisUrl);
  }

  async start(): Promise<void> {
    await this.redis.ping();
    // A stop set by the coordinator reaches the running agent within a moment.
    this.subscriber.on('message', (_channel: string, attemptId: string) => void this.stopIfRunning(attemptId));
    await this.subscriber.subscribe(redisKeys.stopChannel);
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), heartbeatEveryMs);
    for (const agent of this.options.agents) {
      const worker = new Worker<AttemptJob, AttemptJobResult>(queueName(agent), (job) => this.process(job), {
        connection: redisOptions(this.options.redisUrl),
        prefix: queuePrefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: this.options.lockMs,
        // A job whose worker died is taken again twice; a third death fails it (an attempt that kills its worker).
        maxStalledCount: 2,
      });
      worker.on('error', (error) => this.options.logger?.warn({ err: error }, 'queue worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  /** Stop taking jobs; with `force`, stop the running agents too (their jobs go to other workers). */
  async close(force = false): Promise<void> {
    if (force) for (const entry of this.running.values()) entry.control.abort({ cause: 'interrupted', detail: 'the worker is stopping' } satisfies StopRequest);
    await Promise.all(this.workers.map((worker) => worker.close(force)));
    clearInterval(this.heartbeat);
    await this.redis.del(redisKeys.worker(this.identity.id)).catch(() => undefined);
    this.subscriber.disconnect();
    this.redis.disconnect();
  }

  get runningAttempts(): number {
    return this.running.size;
  }

  private async beat(): Promise<void> {
    const beat: WorkerBeat = {
      ...this.identity,
      pid: process.pid,
      agents: this.options.agents,
      concurrency: this.options.concurrency,
      running: [...this.running].map(([attemptId, entry]) => ({ attemptId, runId: entry.runId, agent: entry.agent, since: entry.since })),
      startedAt: this.startedAt,
      lastSeen: new Date().toISOString(),
    };
    await this.redis.set(redisKeys.worker(this.identity.id), JSON.stringify(beat), 'EX', heartbeatTtlSeconds);
  }

  private async stopIfRunning(attemptId: string): Promise<void> {
    const entry = this.running.get(attemptId);
    if (entry === undefined) return;
    const stop = parseStop(await this.redis.get(redisKeys.stop(attemptId)));
    if (stop !== null) entry.control.abort(stop);
  }

  private async process(job: Job<AttemptJob, AttemptJobResult>): Promise<AttemptJobResult> {
    const { repoUrl, spec } = job.data;
    // The job is data from Redis: it may name only orch's own branch (the push below replaces that branch and no other).
    if (!isOrchBranch(spec.branch)) throw new Error(`refusing a job for branch '${spec.branch}': attempts work only on orch/ branches`);
    const log = this.options.logger?.child({ attempt: spec.attemptId, job: job.id });
    const entry: Running = { control: new AbortController(), runId: spec.runId, agent: spec.agent, since: new Date().toISOString() };
    this.running.set(spec.attemptId, entry);
    void this.beat().catch(() => undefined);
    const stream = new EventStreamWriter(this.redis, spec.attemptId);
    stream.add({ type: 'delivery', worker: this.identity, delivery: job.stalledCounter + 1 });
    // Canceled before this worker took it: the executor ends it before the agent starts.
    const stop = parseStop(await this.redis.get(redisKeys.stop(spec.attemptId)));
    if (stop !== null) entry.control.abort(stop);
    let repo: Repository | undefined;
    let worktree: string | undefined;
    try {
      const mirror = await syncMirror(this.options.home, repoUrl);
      repo = mirror.repo;
      const startSha = await this.startingPoint(repo, spec.startSha, spec.reuseWorktree ? spec.branch : null);
      worktree = orchPaths(this.options.home).worktree(projectSlug(repoUrl), spec.attemptId);
      // A fresh worktree for every delivery: what an earlier delivery on this machine left goes first.
      // Made here rather than by the executor: next to this mirror's fetches, one at a time (see withMirror).
      const [fresh, path] = [repo, worktree];
      await withMirror(repo.commonDir, async () => {
        await clearLeftovers(fresh, path, spec.branch);
        await addWorktree(fresh, { path, branch: spec.branch, startSha });
      });
      const local: AttemptSpec = {
        ...spec,
        repo,
        worktree,
        startSha,
        reuseWorktree: true,
        env: {},
        mcp: null,
        sandbox: { ...spec.sandbox, orchHome: this.options.home },
      };
      log?.info({ delivery: job.stalledCounter + 1 }, 'attempt taken');
      const result = await this.options.executor.runAttempt(
        local,
        {
          // The worker's own path means nothing to the coordinator; it makes its own worktree of the result.
          emit: (event) => (event.type === 'worktree' ? undefined : stream.add(event.type === 'spawned' ? { ...event, pid: null, pidStart: null } : event)),
        },
        entry.control.signal,
      );
      // orch's own branch on the remote: a re-delivered attempt replaces what a dead delivery pushed.
      await remoteGit(repo.commonDir, ['push', '--quiet', 'origin', `+${result.headSha}:refs/heads/${spec.branch}`], repoUrl);
      await stream.flush();
      log?.info({ status: result.status, reason: result.reason }, 'attempt pushed');
      return { result, worker: this.identity };
    } finally {
      this.running.delete(spec.attemptId);
      const [used, path] = [repo, worktree];
      if (used !== undefined && path !== undefined) await withMirror(used.commonDir, () => clearLeftovers(used, path, spec.branch)).catch(() => undefined);
      void this.beat().catch(() => undefined);
    }
  }

  /** The commit the worktree starts from: the spec's, fetched from the remote's orch branches when this mirror lacks it. */
  private async startingPoint(repo: Repository, startSha: string, continueBranch: string | null): Promise<string> {
    if (continueBranch !== null || !(await hasCommit(repo, startSha))) await withMirror(repo.commonDir, () => fetchOrchBranches(repo));
    if (continueBranch !== null) {
      // A continued session: go on from where the attempt's branch is on the remote.
      const head = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${continueBranch}^{commit}`], { cwd: repo.commonDir, allowFailure: true });
      if (head.exitCode === 0) return head.stdout;
    }
    return startSha;
  }
}

async function hasCommit(repo: Repository, sha: string): Promise<boolean> {
  return (await git(['cat-file', '-e', `${sha}^{commit}`], { cwd: repo.commonDir, allowFailure: true })).exitCode === 0;
}

async function clearLeftovers(repo: Repository, worktree: string, branch: string): Promise<void> {
  if (existsSync(worktree)) await removeWorktree(repo, worktree).catch(() => rm(worktree, { recursive: true, force: true }));
  await git(['worktree', 'prune'], { cwd: repo.commonDir });
  await deleteBranch(repo, branch);
}
