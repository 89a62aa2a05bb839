// Requests to orch serve's /api/v1 with the stored key; failures become ApiError with the server's message.
import { getKey } from './key.ts';
import type { AttemptDiff, ErrorBody, LogPage, RunDetail, Run, StartRunBody, Task } from './types.ts';

export const apiBase = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 401: no key or a wrong one; 403: the key lacks the scope. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export function authHeaders(): Record<string, string> {
  const key = getKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export function authMessage(status: number): string {
  return status === 403
    ? 'This API key may not do that: it needs the write scope (orch api-key create --name NAME --scope write).'
    : 'The API key was refused. Create one with: orch api-key create --name NAME --scope write';
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${apiBase}${path}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null; // an answer that is not JSON (a proxy's error page): the status says enough
  }
  if (!response.ok) {
    const error = (json as Partial<ErrorBody> | null)?.error;
    const fallback = response.status === 401 || response.status === 403 ? authMessage(response.status) : `${method} ${path} failed: HTTP ${response.status}`;
    throw new ApiError(response.status, error?.message ?? fallback, error?.hint);
  }
  return json as T;
}

const get = <T,>(path: string, signal?: AbortSignal): Promise<T> => request<T>('GET', path, undefined, signal);

export const api = {
  health: (): Promise<unknown> => get('/health'),
  runs: async (limit = 50, signal?: AbortSignal): Promise<Run[]> => (await get<{ runs: Run[] }>(`/runs?limit=${limit}`, signal)).runs,
  run: (id: string, signal?: AbortSignal): Promise<RunDetail> => get(`/runs/${encodeURIComponent(id)}`, signal),
  tasks: async (id: string, signal?: AbortSignal): Promise<Task[]> => (await get<{ tasks: Task[] }>(`/runs/${encodeURIComponent(id)}/tasks`, signal)).tasks,
  diff: (attemptId: string, signal?: AbortSignal): Promise<AttemptDiff> => get(`/attempts/${encodeURIComponent(attemptId)}/diff`, signal),
  logs: (attemptId: string, after: number, signal?: AbortSignal): Promise<LogPage> =>
    get(`/attempts/${encodeURIComponent(attemptId)}/logs?after=${after}`, signal),
  startRun: (body: StartRunBody): Promise<{ runId: string }> => request('POST', '/runs', body),
  cancel: (id: string): Promise<unknown> => request('POST', `/runs/${encodeURIComponent(id)}/cancel`),
  resume: (id: string): Promise<unknown> => request('POST', `/runs/${encodeURIComponent(id)}/resume`),
};
