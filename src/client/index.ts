// orch/client: a typed client for the API of `orch serve`, on fetch alone (no EventSource needed).
//   const orch = createOrchClient({ baseUrl: 'http://127.0.0.1:7070', apiKey: process.env.ORCH_API_KEY! });
//   const { runId } = await orch.startRun({ repo: '/path/to/repo', goal: 'fix the flaky test' });
//   for await (const event of orch.events(runId)) console.log(event.type);
// It runs in Node and in a browser alike (the dashboard uses it): nothing here may import a node: module.
import { SseParser } from './sse.ts';
import type { AddBacklogTaskBody, ApiAnswer, ApiErrorBody, BacklogStatus, EditBacklogTaskBody, ListRunsQuery, OrchEvent, Run, StartRunBody } from './types.ts';

export type * from './types.ts';
export { SseParser, type SseMessage } from './sse.ts';
/** What a run's status allows (the same rules the engine applies): for buttons and for scripts. */
export { canCancelRun, canResumeRun, isRunOver, isRunFinal } from '../domain/status.ts';
export { retryWords } from '../domain/retry-words.ts';
export { phaseColour, phaseLabel } from '../domain/timeline-look.ts';

export interface OrchClientOptions {
  /** Where `orch serve` listens, e.g. http://127.0.0.1:7070; '' in a page served by it (the same origin). */
  baseUrl: string;
  /** The key, or a function that reads it at each request (a key the user may change); none sends no key. */
  apiKey: string | (() => string | null | undefined);
  /** Another fetch (a test's in-process app, a proxy-aware one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** First delay before an event stream reconnects; it doubles up to 30 s while the server stays away. */
  retryMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Where an event stream is: connecting, receiving, or waiting to reconnect after a drop. */
export type StreamStatus = 'connecting' | 'open' | 'retrying';

export interface EventsOptions extends RequestOptions {
  /** Start after this event seq (as a reconnect with Last-Event-ID would). */
  lastEventId?: number;
  /** Told each time the stream's state changes (a page shows it). */
  onStatus?: (status: StreamStatus) => void;
}

/** An answer other than success, with the server's code, message and hint. */
export class OrchApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'OrchApiError';
  }
}

const terminalEvents = new Set(['run.succeeded', 'run.failed', 'run.canceled', 'run.interrupted']);
const activeStatuses = new Set(['queued', 'running', 'paused']);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function apiError(response: Response): Promise<OrchApiError> {
  const text = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as ApiErrorBody;
    return new OrchApiError(response.status, error.code, error.message, error.hint, error.issues ?? []);
  } catch {
    return new OrchApiError(response.status, 'http_error', `HTTP ${response.status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`);
  }
}

export function createOrchClient(options: OrchClientOptions) {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const firstRetryMs = options.retryMs ?? 1000;
  const auth = (): Record<string, string> => {
    const key = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey;
    return key === null || key === undefined || key === '' ? {} : { authorization: `Bearer ${key}` };
  };
  const id = (value: string) => encodeURIComponent(value);

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await doFetch(`${base}${path}`, {
      method,
      headers: { ...auth(), accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
    if (!response.ok) throw await apiError(response);
    return (await response.json()) as T;
  }

  /** Events as they come, reconnecting with Last-Event-ID after a dropped connection: no gap, no repeat. */
  async function* events(runId?: string, opts: EventsOptions = {}): AsyncGenerator<OrchEvent, void, undefined> {
    const path = runId === undefined ? '/events' : `/runs/${id(runId)}/events`;
    let last = opts.lastEventId;
    let delay = firstRetryMs;
    for (;;) {
      opts.signal?.throwIfAborted();
      opts.onStatus?.('connecting');
      let response: Response | undefined;
      try {
        response = await doFetch(`${base}${path}`, {
          headers: { ...auth(), accept: 'text/event-stream', ...(last === undefined ? {} : { 'last-event-id': String(last) }) },
          ...(opts.signal === undefined ? {} : { signal: opts.signal }),
        });
      } catch (error) {
        if (opts.signal?.aborted) throw error;
      }
      if (response !== undefined && !response.ok && response.status < 500) throw await apiError(response);
      if (response?.ok === true && response.body !== null) {
        opts.onStatus?.('open');
        const parser = new SseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        try {
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            for (const message of parser.push(chunk.value)) {
              delay = parser.retryMs ?? firstRetryMs;
              if (message.id !== undefined) last = Number(message.id);
              yield JSON.parse(message.data) as OrchEvent;
            }
          }
        } catch (error) {
          // A dropped connection: reconnect below from the last seq received.
          if (opts.signal?.aborted) throw error;
        } finally {
          // Closing the body closes the connection; it may already be gone, which is what we want anyway.
          await reader.cancel().catch(() => undefined);
        }
      } else if (response !== undefined) {
        await response.body?.cancel();
      }
      opts.onStatus?.('retrying');
      await sleep(delay, opts.signal);
      delay = Math.min(delay * 2, 30_000);
    }
  }

  const get = <T>(path: string, opts: RequestOptions): Promise<T> => call<T>('GET', path, undefined, opts.signal);

  return {
    health: (opts: RequestOptions = {}) => get<ApiAnswer<'health'>>('/health', opts),
    startRun: (body: StartRunBody) => call<ApiAnswer<'started'>>('POST', '/runs', body),
    /** Seed 003's form: { request, config }. */
    orchestrate: (body: { request: string; config?: Record<string, unknown> }) => call<ApiAnswer<'orchestrated'>>('POST', '/orchestrate', body),
    listRuns: async (query: ListRunsQuery = {}, opts: RequestOptions = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const text = params.toString();
      return (await get<ApiAnswer<'runs'>>(`/runs${text === '' ? '' : `?${text}`}`, opts)).runs;
    },
    getRun: (runId: string, opts: RequestOptions = {}) => get<ApiAnswer<'report'>>(`/runs/${id(runId)}`, opts),
    getAttempts: async (runId: string, opts: RequestOptions = {}) => (await get<ApiAnswer<'attempts'>>(`/runs/${id(runId)}/attempts`, opts)).attempts,
    getVerdicts: async (runId: string, opts: RequestOptions = {}) => (await get<ApiAnswer<'verdicts'>>(`/runs/${id(runId)}/verdicts`, opts)).verdicts,
    /** The run in time: lanes, phases and analytics (GET /runs/:id/timeline). */
    getTimeline: (runId: string, opts: RequestOptions = {}) => get<ApiAnswer<'timeline'>>(`/runs/${id(runId)}/timeline`, opts),
    getTasks: async (runId: string, opts: RequestOptions = {}) => (await get<ApiAnswer<'tasks'>>(`/runs/${id(runId)}/tasks`, opts)).tasks,
    getAttempt: (attemptId: string, opts: RequestOptions = {}) => get<ApiAnswer<'attempt'>>(`/attempts/${id(attemptId)}`, opts),
    getDiff: (attemptId: string, opts: RequestOptions = {}) => get<ApiAnswer<'diff'>>(`/attempts/${id(attemptId)}/diff`, opts),
    getLogs: (attemptId: string, after = 0, opts: RequestOptions = {}) => get<ApiAnswer<'logs'>>(`/attempts/${id(attemptId)}/logs?after=${after}`, opts),
    /** The portfolio: the daemon, and per project its state, backlog counts, spend, last and next cycle. */
    getPortfolio: (opts: RequestOptions = {}) => get<ApiAnswer<'portfolio'>>('/portfolio', opts),
    getBacklog: async (project: string, query: { status?: BacklogStatus } = {}, opts: RequestOptions = {}) =>
      (await get<ApiAnswer<'backlog'>>(`/portfolio/projects/${id(project)}/tasks${query.status ? `?status=${query.status}` : ''}`, opts)).tasks,
    addBacklogTask: async (project: string, body: AddBacklogTaskBody) => (await call<ApiAnswer<'backlogTask'>>('POST', `/portfolio/projects/${id(project)}/tasks`, body)).task,
    editBacklogTask: async (taskId: number, body: EditBacklogTaskBody) => (await call<ApiAnswer<'backlogTask'>>('POST', `/portfolio/tasks/${taskId}`, body)).task,
    deferBacklogTask: async (taskId: number) => (await call<ApiAnswer<'backlogTask'>>('POST', `/portfolio/tasks/${taskId}/defer`)).task,
    getCycles: async (project: string, opts: RequestOptions = {}) => (await get<ApiAnswer<'cycles'>>(`/portfolio/projects/${id(project)}/cycles`, opts)).cycles,
    cancelRun: async (runId: string) => (await call<ApiAnswer<'run'>>('POST', `/runs/${id(runId)}/cancel`)).run,
    /** The built-in strategies, each with the JSON Schema of its parameters. */
    listStrategies: async (opts: RequestOptions = {}) => (await get<ApiAnswer<'strategies'>>('/strategies', opts)).strategies,
    resumeRun: (runId: string) => call<ApiAnswer<'resumed'>>('POST', `/runs/${id(runId)}/resume`),
    openapi: (opts: RequestOptions = {}) => get<ApiAnswer<'openapi'>>('/openapi.json', opts),
    events,
    /** Follow a run's events until it ends (succeeded, failed, canceled or interrupted); returns the run then. */
    async waitForRun(runId: string, opts: { signal?: AbortSignal } = {}): Promise<Run> {
      for await (const event of events(runId, opts)) {
        if (!terminalEvents.has(event.type)) continue;
        // A replayed end may have been followed by a resume: ask for the run as it is now.
        const { run } = await get<ApiAnswer<'report'>>(`/runs/${id(runId)}`, opts);
        if (!activeStatuses.has(run.status)) return run;
      }
      throw new Error('unreachable: the event stream ended');
    },
  };
}

export type OrchClient = ReturnType<typeof createOrchClient>;
