// The GitHub client: Octokit with its retry plugin (5xx and network errors are retried) and throttling plugin
// (primary and secondary rate limits are waited out, then the request goes on: a limit never fails a run).
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { RepoSlug } from './repo-slug.ts';

const OrchOctokit = Octokit.plugin(retry, throttling);
/** The REST client (the plugins work inside it; callers need only the endpoints). */
export type GitHubApi = Octokit;

export interface GitHubClientOptions {
  baseUrl: string;
  token: string;
  slug: RepoSlug;
  /** Told each time a rate limit makes the client wait (for progress lines). */
  onWait?: (message: string) => void;
  /** Times one request is retried after a rate limit (default 10: a limit is waited out, not failed). */
  rateLimitRetries?: number;
}

export interface GitHub {
  api: GitHubApi;
  slug: RepoSlug;
  /** `owner/name` */
  name: string;
}

export function openGitHub(options: GitHubClientOptions): GitHub {
  const retries = options.rateLimitRetries ?? 10;
  const wait = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    options.onWait?.(`GitHub ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter}s, then going on`);
    return retryCount < retries;
  };
  const api: GitHubApi = new OrchOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    auth: options.token,
    userAgent: 'orch',
    // Octokit logs failed requests as warnings; orch reports what matters itself (and never the token).
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: { onRateLimit: wait('primary'), onSecondaryRateLimit: wait('secondary') },
  });
  return { api, slug: options.slug, name: `${options.slug.owner}/${options.slug.repo}` };
}

/** The HTTP status of an Octokit failure (RequestError), or null for anything else. */
export function httpStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}
