// The API edge of the error hierarchy: OrchError codes map to HTTP statuses here and only here.
import type { z } from 'zod';
import { OrchError, type ErrorCode } from '../domain/errors.ts';

export interface ApiIssue {
  path: string;
  message: string;
}

/** An answer other than success, raised by a handler; rendered as `{ error: { code, message, hint?, issues? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 500,
    readonly code: string,
    message: string,
    readonly extra: { hint?: string; issues?: ApiIssue[] } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const statusByCode: Record<ErrorCode, 400 | 404 | 409 | 500> = {
  usage: 400,
  config_invalid: 400,
  not_a_repository: 400,
  repository_state: 400,
  ref_not_found: 400,
  target_dirty: 400,
  agent_not_found: 400,
  agent_auth: 400,
  agent_endpoint: 400,
  check_command_not_found: 400,
  not_found: 404,
  project_paused: 409,
  conflict: 409,
  sandbox_unavailable: 400,
  interrupted: 409,
  canceled: 409,
  worktree: 500,
  git: 500,
  process: 500,
  store: 500,
  store_unusable: 500,
  disk_full: 500,
  internal: 500,
};

export function httpErrorFrom(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof OrchError) {
    const status = statusByCode[error.code];
    // A 500 keeps its message out of the answer: it may name paths or commands of the server.
    if (status === 500) return new HttpError(500, error.code, 'The server failed; see its log.');
    return new HttpError(status, error.code, error.message, error.hint === undefined ? {} : { hint: error.hint });
  }
  return new HttpError(500, 'internal', 'The server failed; see its log.');
}

export function zodIssues(issues: readonly z.core.$ZodIssue[]): ApiIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function errorBody(error: HttpError): { error: { code: string; message: string; hint?: string; issues?: ApiIssue[] } } {
  return { error: { code: error.code, message: error.message, ...error.extra } };
}
