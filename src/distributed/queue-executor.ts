// The executor that runs attempts on other machines: one BullMQ job per attempt, on the queue of its agent, with the
// attempt id as the job id — so adding it again (a coordinator that resumes) re-attaches to the job already queued,
// running or finished rather than running it twice. Events come back through the attempt's Redis stream, the
// coordinator's stop goes out through a key and a message, and the result's branch is fetched from the remote into
// the coordinator's mirror, where a worktree of it is made for the checks and the merge.
import { existsSync } from 'node:fs';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RepositoryError } from '../domain/errors.ts';
import { statusForReason, type AttemptResult, type AttemptSink, type AttemptSpec, type Executor, type StopRequest } from '../executor/contract.ts';
import { addWorktree, deleteBranch, git, removeWorktree } from '../git/index.ts';
import { mirrorUrl, remoteGit, withMirror } from '../remote/mirror.ts';
import { connectRedis, redisOptions } from './connection.ts';
import { EventStreamReader } from './event-stream.ts';
import { keepSeconds, queueName, queuePrefix, redisKeys, type AttemptJob, type AttemptJobResult, type StreamedEvent } from './protocol.ts';

export interface QueueExecutorOptions {
  redisUrl: string;
  /** BullMQ priority of this coordinator's jobs: 1 is taken first; none (0) after every prioritised job. */
  priority?: number | undefined;
  logger?: Logger | undefined;
}

/** Jobs are kept this long once finished, so a coordinator that comes back finds their results. */
const keepJobs = { age: keepSeconds };

export class QueueExecutor implements Executor {
  readonly remote = true;
  private readonly redis: Redis;
  private readonly queues = new Map<string, { queue: Queue<AttemptJob, AttemptJobResult>; events: QueueEvents }>();

  constructor(private readonly options: QueueExecutorOptions) {
    this.redis = connectRedis(options.redisUrl);
  }

  async runAttempt(spec: AttemptSpec, sink: AttemptSink, signal: AbortSignal): Promise<AttemptResult> {
    const repoUrl = await mirrorUrl(spec.repo);
    if (repoUrl === null) {
      throw new RepositoryError('repository_state', 'The queue executor runs attempts on other machines, which fetch the repository by URL; this run has a local repository.', {
        hint: 'Start the run with --repo-url <url> (the workers must be able to fetch and push it).',
      });
    }
    const { queue, events } = await this.queueFor(spec.agent);
    const job = await this.enqueue(queue, repoUrl, spec);
    // Stopped while no worker holds the job: it is taken off the queue, and the attempt ends here.
    let removed: (result: AttemptResult) => void = () => undefined;
    const removedBeforeStart = new Promise<AttemptResult>((resolve) => (removed = resolve));
    const onStop = () => {
      const request = signal.reason as StopRequest;
      void this.stop(spec.attemptId, request, job.job).then((gone) => {
        if (gone) removed(unstarted(spec, request));
      });
    };
    signal.addEventListener('abort', onStop, { once: true });
    if (signal.aborted) onStop();
    const reading = this.redis.duplicate();
    const reader = new EventStreamReader(reading, spec.attemptId, (event) => this.forward(event, sink, job.reattached));
    let result: AttemptResult;
    try {
      result = await Promise.race([job.job.waitUntilFinished(events).then((finished) => finished.result), removedBeforeStart]);
    } finally {
      signal.removeEventListener('abort', onStop);
      await reader.drain().catch(() => undefined);
      reading.disconnect();
    }
    const pushed = result.headSha !== spec.startSha || (await remoteHas(spec, repoUrl));
    await withMirror(spec.repo.commonDir, () => this.bringHome(spec, result.headSha, repoUrl, pushed));
    sink.emit({ type: 'worktree', path: spec.worktree, branch: spec.branch });
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].flatMap(({ queue, events }) => [queue.close(), events.close()]));
    this.redis.disconnect();
  }

  private async queueFor(agent: string): Promise<{ queue: Queue<AttemptJob, AttemptJobResult>; events: QueueEvents }> {
    const known = this.queues.get(agent);
    if (known !== undefined) return known;
    const connection = redisOptions(this.options.redisUrl);
    const entry = {
      queue: new Queue<AttemptJob, AttemptJobResult>(queueName(agent), { connection, prefix: queuePrefix }),
      events: new QueueEvents(queueName(agent), { connection, prefix: queuePrefix }),
    };
    // Every attempt waiting on its job listens on the queue: a best-of-50 is fifty listeners, not a leak.
    entry.queue.setMaxListeners(0);
    entry.events.setMaxListeners(0);
    this.queues.set(agent, entry);
    await entry.events.waitUntilReady();
    return entry;
  }

  /**
   * The attempt's job: the one already there (queued, running, or finished with a result) when the coordinator comes
   * back to it, else a new one. A job that ended without a result worth keeping (interrupted, or failed) is replaced.
   */
  private async enqueue(queue: Queue<AttemptJob, AttemptJobResult>, repoUrl: string, spec: AttemptSpec): Promise<{ job: Job<AttemptJob, AttemptJobResult>; reattached: boolean }> {
    const jobId = spec.attemptId;
    const existing = await queue.getJob(jobId);
    if (existing !== undefined) {
      const state = await existing.getState();
      const stale = state === 'failed' || (state === 'completed' && existing.returnvalue.result.status === 'interrupted');
      // Still waiting for a worker: nothing of it was recorded yet, so its events are all new.
      if (!stale) return { job: existing, reattached: state !== 'waiting' && state !== 'prioritized' && state !== 'delayed' };
      await existing.remove();
    }
    // A new delivery: no stop left over from an interrupted one, and its events from the start.
    await this.redis.del(redisKeys.stop(spec.attemptId), redisKeys.events(spec.attemptId));
    const { repo: _repo, worktree: _worktree, env: _env, mcp: _mcp, ...remote } = spec;
    const job = await queue.add('attempt', { repoUrl, spec: remote }, { jobId, removeOnComplete: keepJobs, removeOnFail: keepJobs, ...(this.options.priority ? { priority: this.options.priority } : {}) });
    return { job, reattached: false };
  }

  /** A coordinator that re-attaches has recorded the activity already: only the running totals are taken again. */
  private forward(event: StreamedEvent, sink: AttemptSink, reattached: boolean): void {
    if (reattached && event.type !== 'usage' && event.type !== 'session') return;
    if (event.type === 'delivery') {
      sink.emit({ type: 'worker', worker: event.worker.id, host: event.worker.host, delivery: event.delivery });
      return;
    }
    sink.emit(event);
  }

  /** Tell the worker (now, and any that takes the job later) to stop; a job no worker took yet is simply removed. */
  private async stop(attemptId: string, request: StopRequest, job: Job<AttemptJob, AttemptJobResult>): Promise<boolean> {
    await this.redis.set(redisKeys.stop(attemptId), JSON.stringify(request), 'EX', keepSeconds);
    await this.redis.publish(redisKeys.stopChannel, attemptId);
    this.options.logger?.info({ attempt: attemptId, cause: request.cause }, 'attempt stop sent to its worker');
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return false;
    // Removing fails if a worker took the job meanwhile: then the worker stops it.
    return job.remove().then(
      () => true,
      () => false,
    );
  }

  /** Fetch the attempt's branch from the remote (when a worker pushed it) and make the coordinator's worktree of it. */
  private async bringHome(spec: AttemptSpec, headSha: string, repoUrl: string, pushed: boolean): Promise<void> {
    const tracking = `refs/remotes/origin/${spec.branch}`;
    if (pushed) await remoteGit(spec.repo.commonDir, ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${spec.branch}:${tracking}`], repoUrl);
    if (existsSync(spec.worktree)) await removeWorktree(spec.repo, spec.worktree);
    await git(['worktree', 'prune'], { cwd: spec.repo.commonDir });
    await deleteBranch(spec.repo, spec.branch);
    await addWorktree(spec.repo, { path: spec.worktree, branch: spec.branch, startSha: headSha });
  }
}

/** The result of an attempt stopped before any worker took it: nothing ran, nothing changed. */
function unstarted(spec: AttemptSpec, request: StopRequest): AttemptResult {
  const { sessionId, ...usage } = spec.before;
  return {
    status: statusForReason(request.cause),
    reason: request.cause,
    detail: `${request.detail} (before a worker took the attempt)`,
    headSha: spec.startSha,
    diff: { filesChanged: 0, insertions: 0, deletions: 0, files: [] },
    gitChanges: [],
    usage,
    sessionId,
  };
}

/** Whether the remote has the attempt's branch (a worker pushed it). */
async function remoteHas(spec: AttemptSpec, repoUrl: string): Promise<boolean> {
  return (await remoteGit(spec.repo.commonDir, ['ls-remote', 'origin', `refs/heads/${spec.branch}`], repoUrl)) !== '';
}
