// What the coordinator and the workers say to each other through Redis: queue names, keys, and the job's data and
// result. One queue per agent, so a worker takes only the jobs of agents it has (it listens to those queues alone).
import type { AttemptEvent, AttemptResult, AttemptSpec, StopRequest } from '../executor/contract.ts';

/** BullMQ's own key prefix for orch's queues (several orch installations may share a Redis with other prefixes). */
export const queuePrefix = 'orch';

export const queueName = (agent: string): string => `attempts-${agent}`;

export const redisKeys = {
  /** The events of one attempt, as the worker reports them (a Redis stream, read by the coordinator). */
  events: (attemptId: string) => `orch:attempt:${attemptId}:events`,
  /** The coordinator's stop for one attempt (a StopRequest as JSON): a worker that takes the job later still sees it. */
  stop: (attemptId: string) => `orch:attempt:${attemptId}:stop`,
  /** Published with an attempt id when a stop is set: running workers stop its agent at once. */
  stopChannel: 'orch:stop',
  /** A live worker's heartbeat (JSON, expires when the worker stops beating). */
  worker: (id: string) => `orch:worker:${id}`,
  workerPattern: 'orch:worker:*',
} as const;

/** How long a worker's heartbeat lives without being renewed. */
export const heartbeatTtlSeconds = 15;
export const heartbeatEveryMs = 3_000;
/** Events and stops are kept this long after they were written (a coordinator may re-attach within it). */
export const keepSeconds = 7 * 24 * 3600;

/**
 * The spec a worker gets: the coordinator's paths, environment and MCP servers stay behind (the worker has its own
 * ORCH_HOME, credentials and environment; secrets never travel through Redis).
 */
export type RemoteAttemptSpec = Omit<AttemptSpec, 'repo' | 'worktree' | 'env' | 'mcp'>;

export interface AttemptJob {
  /** The repository the worker fetches from and pushes the attempt branch to (no password in it: see remote/url.ts). */
  repoUrl: string;
  spec: RemoteAttemptSpec;
}

export interface WorkerIdentity {
  id: string;
  host: string;
}

export interface AttemptJobResult {
  result: AttemptResult;
  worker: WorkerIdentity;
}

/** A worker's heartbeat: what `orch workers` shows (its shape is the API's, domain/api.ts). */
export type { WorkerBeat } from '../domain/api.ts';

/** One stream entry: an executor event, or which worker took the job (sent first by every delivery). */
export type StreamedEvent = AttemptEvent | { type: 'delivery'; worker: WorkerIdentity; delivery: number };

export function parseStop(raw: string | null): StopRequest | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as StopRequest;
  } catch {
    return null;
  }
}
