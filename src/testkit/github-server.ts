// A scripted GitHub REST API on 127.0.0.1: issues (labels, comments, state), pull requests (create, update, list by
// head, merge, draft), reviews, check runs and combined status, rate-limit headers on every answer, and faults to
// inject (4xx/5xx, a 403 rate limit with its reset time). GitHub cannot be reached from test machines; the real
// client (Octokit) talks to this over HTTP. With `remote`, pull requests read their head from a bare repository,
// as GitHub reads them from the pushed branch, and mergeability from it; the merge side (merges landing on the remote,
// branch rules, the merge queue behind /graphql) is in github-merge-room.ts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMergeRoom, GraphQLError, nodeId, type MergeQueueEntry } from './github-merge-room.ts';
import { listenLocal, parseJson, readBody, sendJson } from './http.ts';

export interface GitHubUser {
  login: string;
}

export interface ScriptedIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: { id: number; body: string; user: string }[];
  /** Set when a merged pull request's body said `Fixes #N`. */
  closedBy: number | null;
}

export interface ScriptedPull {
  number: number;
  title: string;
  body: string;
  head: string;
  /** From the remote's branch (null while it is missing there), or a stand-in per branch without a remote. */
  headSha: string | null;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  mergeMethod: string | null;
  /** The commit the merge made (with `landMerges`, the merge commit on the remote's base). */
  mergeCommitSha?: string | null;
  reviews: { id: number; state: string; body: string; user: string }[];
}

export interface ScriptedCheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  /** What the check says (a CI job's title, summary and log excerpt). */
  output?: { title?: string; summary?: string; text?: string };
}

/** A comment on a line of code, left with a review. */
export interface ScriptedReviewComment {
  path: string;
  line?: number;
  body: string;
}

export interface GitHubFault {
  status: number;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  method?: string;
  /** Matched against the path (without query). */
  path?: RegExp;
  /** A 403/429 rate limit: `x-ratelimit-remaining: 0` and `x-ratelimit-reset` this many seconds ahead. */
  rateLimitResetSeconds?: number;
  /** A secondary rate limit: `retry-after` in seconds. */
  retryAfterSeconds?: number;
  message?: string;
}

export interface GitHubRecordedRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** Whether the request carried the expected token (the token itself is never recorded). */
  authorized: boolean;
  at: number;
}

export interface ScriptedGitHubOptions {
  owner?: string;
  repo?: string;
  /** The token requests must carry (`Authorization: token …` or `Bearer …`); default 'test-github-token'. */
  token?: string;
  /** A bare repository standing in for the GitHub remote: pull request heads are read from it. */
  remote?: string;
  /** With a remote: a merge lands there as GitHub's does (a merge commit on the base), else only the pull request records it. */
  landMerges?: boolean;
  port?: number;
}

export interface ScriptedGitHubServer {
  /** The API base URL (Octokit's `baseUrl`). */
  readonly url: string;
  readonly port: number;
  readonly owner: string;
  readonly repo: string;
  readonly issues: ReadonlyMap<number, ScriptedIssue>;
  readonly pulls: ReadonlyMap<number, ScriptedPull>;
  readonly requestLog: readonly GitHubRecordedRequest[];
  addIssue(issue: { title: string; body?: string; labels?: string[] }): ScriptedIssue;
  /** A review on a pull request, as a person would leave one. */
  addReview(pull: number, review: { state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; body?: string; user?: string }): void;
  /** The check runs GitHub reports for a commit sha, or for a branch name (a pull request's head). */
  setCheckRuns(ref: string, runs: ScriptedCheckRun[]): void;
  /** Labels on a pull request (as a person adds them): GitHub's issues list then shows it under those labels too. */
  labelPull(pull: number, labels: string[]): void;
  fault(fault: GitHubFault): void;
  /** A merge queue required on a branch (a ruleset): the REST merge refuses, enqueuePullRequest (GraphQL) queues. */
  requireMergeQueue(base: string, options?: { requiredChecks?: string[] }): void;
  mergeQueue(base: string): readonly MergeQueueEntry[];
  /** The ref the queue's checks run on for a queued pull request (`gh-readonly-queue/<base>/pr-<n>`), or null. */
  mergeGroupRef(pull: number): string | null;
  /** A person removes a pull request from the merge queue. */
  removeFromMergeQueue(pull: number, reason: string): void;
  close(): Promise<void>;
  // --- Feedback on pull requests (reviews with line comments, checks per pushed head, comments on the PR) ---
  /** A review with comments on lines of code; returns the review's id. */
  addReviewWithComments(pull: number, review: { state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; body?: string; user?: string; comments: ScriptedReviewComment[] }): number;
  /**
   * The check runs of each head the pull request has had, decided when GitHub is first asked about that head:
   * `push` counts the heads seen (0 for the first). For CI that fails on one push and passes on the next.
   */
  scriptChecks(pull: number, decide: (sha: string, push: number) => ScriptedCheckRun[]): void;
  /** The comments left on a pull request (its conversation), oldest first. */
  pullComments(pull: number): readonly { id: number; body: string; user: string }[];
}

const bot = 'orch-bot';

function rateHeaders(remaining: number, resetAt: number): Record<string, string> {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetAt),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-resource': 'core',
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new HttpError(422, `${field} is missing or not a string`);
  return value;
}

/** The request body as an object (GitHub answers 400 to a body that is not JSON). */
function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'Problems parsing JSON');
  return body as Record<string, unknown>;
}

export async function startScriptedGitHubServer(options: ScriptedGitHubOptions = {}): Promise<ScriptedGitHubServer> {
  const owner = options.owner ?? 'acme';
  const repoName = options.repo ?? 'widgets';
  const token = options.token ?? 'test-github-token';
  const issues = new Map<number, ScriptedIssue>();
  const pulls = new Map<number, ScriptedPull>();
  const checkRuns = new Map<string, ScriptedCheckRun[]>();
  const pullLabels = new Map<number, string[]>();
  const faults: (GitHubFault & { left: number })[] = [];
  const requestLog: GitHubRecordedRequest[] = [];
  let nextNumber = 1; // Issues and pull requests share one sequence, as on GitHub.
  let nextId = 1000;
  let remaining = 5000;

  const issueJson = (issue: ScriptedIssue) => ({
    id: issue.number + 100_000,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name) => ({ name })),
    comments: issue.comments.length,
    html_url: `https://github.com/${owner}/${repoName}/issues/${issue.number}`,
    user: { login: 'someone' },
  });
  const pullJson = (pull: ScriptedPull) => ({
    id: pull.number + 200_000,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    draft: pull.draft,
    merged: pull.merged,
    node_id: nodeId(pull.number),
    mergeable: pull.state === 'open' ? room.mergeable(pull) : null,
    mergeable_state: room.mergeableState(pull),
    merge_commit_sha: pull.mergeCommitSha ?? null,
    html_url: `https://github.com/${owner}/${repoName}/pull/${pull.number}`,
    head: { ref: pull.head, sha: pull.headSha, label: `${owner}:${pull.head}` },
    base: { ref: pull.base },
    user: { login: bot },
  });

  const remoteSha = (branch: string): string | null => {
    // Without a remote, a stand-in commit id (stable per branch), as every pull request on GitHub has a head sha.
    if (options.remote === undefined) return createHash('sha1').update(`head:${branch}`).digest('hex');
    try {
      return execFileSync('git', ['--git-dir', options.remote, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  /** Check runs set for a sha, or for the branch of a pull request whose head is that sha. */
  const runsFor = (ref: string): ScriptedCheckRun[] =>
    checkRuns.get(ref) ?? scriptedRunsFor(ref) ?? [...pulls.values()].filter((p) => p.headSha === ref).map((p) => checkRuns.get(p.head)).find((runs) => runs !== undefined) ?? [];
  const room = createMergeRoom({
    remote: options.remote,
    landMerges: options.landMerges === true,
    pulls,
    checkRunsOf: (ref) => checkRuns.get(ref),
    markMerged(pull, method, sha) {
      pull.merged = true;
      pull.state = 'closed';
      pull.mergeMethod = method;
      pull.mergeCommitSha = sha;
      for (const ref of pull.body.matchAll(/\b(?:fixes|closes|resolves) #(\d+)/gi)) {
        const issue = issues.get(Number(ref[1]));
        if (issue !== undefined) Object.assign(issue, { state: 'closed', closedBy: pull.number });
      }
    },
  });
  const getIssue = (number: number): ScriptedIssue => {
    const issue = issues.get(number);
    if (issue === undefined) throw new HttpError(404, 'Not Found');
    return issue;
  };
  const getPull = (number: number): ScriptedPull => {
    const pull = pulls.get(number);
    if (pull === undefined) throw new HttpError(404, 'Not Found');
    return pull;
  };
  const addIssue = (input: { title: string; body?: string; labels?: string[] }): ScriptedIssue => {
    const issue: ScriptedIssue = { number: nextNumber++, title: input.title, body: input.body ?? '', state: 'open', labels: [...(input.labels ?? [])], comments: [], closedBy: null };
    issues.set(issue.number, issue);
    return issue;
  };

  /**
   * GitHub's issues list holds pull requests too, in the issue's shape plus a `pull_request` key; clients that want
   * issues only must leave those out (a pull request can carry the same labels).
   */
  const pullsAsIssues = (state: string, wanted: readonly string[]) =>
    [...pulls.values()]
      .filter((p) => (state === 'all' || p.state === state) && wanted.every((l) => (pullLabels.get(p.number) ?? []).includes(l)))
      .map((p) => ({
        id: p.number + 200_000,
        number: p.number,
        title: p.title,
        body: p.body,
        state: p.state,
        labels: (pullLabels.get(p.number) ?? []).map((name) => ({ name })),
        comments: 0,
        html_url: `https://github.com/${owner}/${repoName}/pull/${p.number}`,
        user: { login: bot },
        pull_request: { url: `https://api.github.com/repos/${owner}/${repoName}/pulls/${p.number}`, html_url: `https://github.com/${owner}/${repoName}/pull/${p.number}`, merged_at: null },
      }));
  // --- Feedback on pull requests: review comments, checks per pushed head, the pull request's conversation ---
  const reviewComments = new Map<number, ScriptedReviewComment[]>();
  const checkScripts = new Map<number, { decide: (sha: string, push: number) => ScriptedCheckRun[]; heads: string[]; runs: Map<string, ScriptedCheckRun[]> }>();
  const pullConversation = new Map<number, { id: number; body: string; user: string }[]>();
  /** A scripted pull request's runs for a head it has now or had; decided once per head. */
  function scriptedRunsFor(ref: string): ScriptedCheckRun[] | undefined {
    for (const [number, script] of checkScripts) {
      const pull = pulls.get(number);
      if (pull === undefined || (pull.headSha !== ref && !script.heads.includes(ref))) continue;
      if (!script.heads.includes(ref)) script.heads.push(ref);
      const known = script.runs.get(ref) ?? script.decide(ref, script.heads.indexOf(ref)).map((r) => ({ ...r }));
      script.runs.set(ref, known);
      return known;
    }
    return undefined;
  }
  function routePullComments(method: string, number: number, body: unknown): [number, unknown] {
    const list = pullConversation.get(number) ?? [];
    pullConversation.set(number, list);
    if (method === 'GET') return [200, list.map((c) => ({ id: c.id, body: c.body, user: { login: c.user } }))];
    const comment = { id: nextId++, body: text(objectBody(body).body, 'body'), user: bot };
    list.push(comment);
    return [201, { id: comment.id, body: comment.body, user: { login: bot } }];
  }
  function routeFeedback(method: string, rest: string): [number, unknown] | null {
    const m = /^\/pulls\/(\d+)\/reviews\/(\d+)\/comments$/.exec(rest);
    if (m === null || method !== 'GET') return null;
    const pull = getPull(Number(m[1]));
    const reviewId = Number(m[2]);
    if (!pull.reviews.some((r) => r.id === reviewId)) throw new HttpError(404, 'Not Found');
    const comments = reviewComments.get(reviewId) ?? [];
    return [200, comments.map((c, i) => ({ id: reviewId * 100 + i, pull_request_review_id: reviewId, path: c.path, line: c.line ?? null, body: c.body, user: { login: 'reviewer' } }))];
  }

  /** The answer to one API call: [status, body]. */
  function route(method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] {
    if (method === 'GET' && path === '/rate_limit') return [200, { resources: { core: { limit: 5000, remaining, reset: Math.floor(Date.now() / 1000) + 3600 } } }];
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
    if (match === null || match[1] !== owner || match[2] !== repoName) throw new HttpError(404, 'Not Found');
    const rest = match[3] ?? '';
    const feedback = routeFeedback(method, rest);
    if (feedback !== null) return feedback;
    let m: RegExpExecArray | null;

    if (rest === '/issues' && method === 'GET') {
      const state = query.get('state') ?? 'open';
      const wanted = (query.get('labels') ?? '').split(',').filter((l) => l !== '');
      const list = [...issues.values()].filter((i) => (state === 'all' || i.state === state) && wanted.every((l) => i.labels.includes(l)));
      return [200, [...list.map(issueJson), ...pullsAsIssues(state, wanted)].sort((a, b) => b.number - a.number)];
    }
    if (rest === '/issues' && method === 'POST') {
      const input = objectBody(body);
      return [201, issueJson(addIssue({ title: text(input.title, 'title'), body: typeof input.body === 'string' ? input.body : '', labels: Array.isArray(input.labels) ? input.labels.map(String) : [] }))];
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = getIssue(Number(m[1]));
      if (method === 'GET') return [200, issueJson(issue)];
      if (method === 'PATCH') {
        const input = objectBody(body);
        if (input.state === 'open' || input.state === 'closed') issue.state = input.state;
        if (typeof input.title === 'string') issue.title = input.title;
        if (typeof input.body === 'string') issue.body = input.body;
        if (Array.isArray(input.labels)) issue.labels = input.labels.map(String);
        return [200, issueJson(issue)];
      }
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = pulls.get(Number(m[1])) !== undefined ? null : getIssue(Number(m[1]));
      if (issue === null) return routePullComments(method, Number(m[1]), body);
      if (method === 'GET') return [200, issue.comments.map((c) => ({ id: c.id, body: c.body, user: { login: c.user } }))];
      if (method === 'POST') {
        const comment = { id: nextId++, body: text(objectBody(body).body, 'body'), user: bot };
        issue.comments.push(comment);
        return [201, { id: comment.id, body: comment.body, user: { login: bot } }];
      }
    }
    if ((m = /^\/issues\/(\d+)\/labels$/.exec(rest)) && method === 'POST') {
      const issue = getIssue(Number(m[1]));
      const input = objectBody(body);
      for (const label of Array.isArray(input.labels) ? input.labels.map(String) : []) if (!issue.labels.includes(label)) issue.labels.push(label);
      return [200, issue.labels.map((name) => ({ name }))];
    }
    if ((m = /^\/issues\/(\d+)\/labels\/([^/]+)$/.exec(rest)) && method === 'DELETE') {
      const issue = getIssue(Number(m[1]));
      const name = decodeURIComponent(m[2] ?? '');
      if (!issue.labels.includes(name)) throw new HttpError(404, 'Label does not exist');
      issue.labels = issue.labels.filter((l) => l !== name);
      return [200, issue.labels.map((n) => ({ name: n }))];
    }

    if (rest === '/pulls' && method === 'GET') {
      const state = query.get('state') ?? 'open';
      const head = query.get('head'); // owner:branch
      const headBranch = head?.includes(':') === true ? head.slice(head.indexOf(':') + 1) : head;
      const list = [...pulls.values()].filter((p) => (state === 'all' || p.state === state) && (headBranch === null || headBranch === undefined || p.head === headBranch));
      return [200, list.map(pullJson)];
    }
    if (rest === '/pulls' && method === 'POST') {
      const input = objectBody(body);
      const head = text(input.head, 'head').replace(/^[^:]+:/, '');
      const base = text(input.base, 'base');
      const headSha = remoteSha(head);
      if (options.remote !== undefined && headSha === null) throw new HttpError(422, `Validation Failed: head '${head}' does not exist on the remote`);
      if ([...pulls.values()].some((p) => p.state === 'open' && p.head === head && p.base === base)) {
        throw new HttpError(422, `Validation Failed: A pull request already exists for ${owner}:${head}.`);
      }
      const pull: ScriptedPull = { number: nextNumber++, title: text(input.title, 'title'), body: typeof input.body === 'string' ? input.body : '', head, headSha, base, draft: input.draft === true, state: 'open', merged: false, mergeMethod: null, reviews: [] };
      pulls.set(pull.number, pull);
      return [201, pullJson(pull)];
    }
    if ((m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pull = getPull(Number(m[1]));
      pull.headSha = remoteSha(pull.head) ?? pull.headSha;
      if (method === 'GET') return [200, pullJson(pull)];
      if (method === 'PATCH') {
        const input = objectBody(body);
        if (typeof input.title === 'string') pull.title = input.title;
        if (typeof input.body === 'string') pull.body = input.body;
        if (input.state === 'open' || input.state === 'closed') pull.state = input.state;
        if (typeof input.base === 'string') pull.base = input.base;
        return [200, pullJson(pull)];
      }
    }
    if ((m = /^\/pulls\/(\d+)\/merge$/.exec(rest))) {
      const pull = getPull(Number(m[1]));
      if (method === 'GET') return pull.merged ? [204, null] : [404, { message: 'Not Found' }];
      if (method === 'PUT') {
        if (pull.merged) throw new HttpError(405, 'Pull Request is not mergeable: already merged');
        if (pull.draft) throw new HttpError(405, 'Pull Request is still a draft');
        if (pull.state !== 'open') throw new HttpError(422, 'Pull Request is closed');
        // GitHub's answers when a merge queue is required, and when the head conflicts with the base.
        if (room.requiresQueue(pull.base)) throw new HttpError(405, 'Changes must be made through the merge queue');
        if (!room.mergeable(pull)) throw new HttpError(405, 'Pull Request is not mergeable');
        const input = body === null ? {} : objectBody(body);
        const sha = room.merge(pull, typeof input.merge_method === 'string' ? input.merge_method : 'merge');
        return [200, { merged: true, sha, message: 'Pull Request successfully merged' }];
      }
    }
    if ((m = /^\/pulls\/(\d+)\/reviews$/.exec(rest))) {
      const pull = getPull(Number(m[1]));
      if (method === 'GET') return [200, pull.reviews.map((r) => ({ id: r.id, state: r.state, body: r.body, user: { login: r.user } }))];
      if (method === 'POST') {
        const input = objectBody(body);
        const state = input.event === 'APPROVE' ? 'APPROVED' : input.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
        const review = { id: nextId++, state, body: typeof input.body === 'string' ? input.body : '', user: bot };
        pull.reviews.push(review);
        return [200, { id: review.id, state, body: review.body, user: { login: bot } }];
      }
    }
    if ((m = /^\/rules\/branches\/(.+)$/.exec(rest)) && method === 'GET') return [200, room.rules(decodeURIComponent(m[1] ?? ''))];
    if ((m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest)) && method === 'GET') {
      const runs = runsFor(decodeURIComponent(m[1] ?? ''));
      return [200, { total_count: runs.length, check_runs: runs.map((r, i) => ({ id: i + 1, name: r.name, status: r.status, conclusion: r.conclusion, output: { title: r.output?.title ?? null, summary: r.output?.summary ?? null, text: r.output?.text ?? null } })) }];
    }
    if ((m = /^\/commits\/([^/]+)\/status$/.exec(rest)) && method === 'GET') {
      const runs = runsFor(decodeURIComponent(m[1] ?? ''));
      const state = runs.some((r) => r.status === 'completed' && r.conclusion !== 'success' && r.conclusion !== 'neutral' && r.conclusion !== 'skipped')
        ? 'failure'
        : runs.every((r) => r.status === 'completed')
          ? 'success'
          : 'pending';
      return [200, { state, total_count: runs.length, statuses: runs.map((r) => ({ context: r.name, state: r.status !== 'completed' ? 'pending' : r.conclusion === 'success' ? 'success' : 'failure' })) }];
    }
    throw new HttpError(404, 'Not Found');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const parsed = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = parseJson(await readBody(request));
    const credential = /^(?:token|Bearer) (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const authorized = credential === token;
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      requestLog.push({ method, path: parsed.pathname, status, body, authorized, at: Date.now() });
      if (status === 204) {
        response.writeHead(204, { ...rateHeaders(remaining, resetAt), ...headers });
        response.end();
        return;
      }
      sendJson(response, status, JSON.stringify(payload), { ...rateHeaders(remaining, resetAt), ...headers });
    };
    if (!authorized) {
      answer(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const fault = faults.find((f) => f.left > 0 && (f.method === undefined || f.method === method) && (f.path === undefined || f.path.test(parsed.pathname)));
    if (fault !== undefined) {
      fault.left -= 1;
      const headers: Record<string, string> = {};
      if (fault.rateLimitResetSeconds !== undefined) {
        Object.assign(headers, rateHeaders(0, Math.ceil(Date.now() / 1000 + fault.rateLimitResetSeconds)));
      }
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const message = fault.message ?? (fault.rateLimitResetSeconds !== undefined ? 'API rate limit exceeded' : fault.retryAfterSeconds !== undefined ? 'You have exceeded a secondary rate limit' : 'scripted fault');
      answer(fault.status, { message, documentation_url: 'https://docs.github.com/rest' }, headers);
      return;
    }
    remaining = Math.max(0, remaining - 1);
    room.advance();
    if (method === 'POST' && parsed.pathname === '/graphql') {
      // GraphQL answers 200 with `errors` for a failed operation, as GitHub's does.
      try {
        answer(200, { data: room.graphql(body) });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        answer(200, { data: null, errors: [{ message: error.message }] });
      }
      return;
    }
    try {
      const [status, payload] = route(method, parsed.pathname, parsed.searchParams, body);
      answer(status, payload);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answer(error.status, { message: error.message, documentation_url: 'https://docs.github.com/rest' });
    }
  }

  const listening = await listenLocal(handle, options.port ?? 0, (message) => JSON.stringify({ message }));
  const url = `http://127.0.0.1:${listening.port}`;
  return {
    url,
    port: listening.port,
    owner,
    repo: repoName,
    issues,
    pulls,
    requestLog,
    addIssue,
    addReview(number, review) {
      getPull(number).reviews.push({ id: nextId++, state: review.state, body: review.body ?? '', user: review.user ?? 'reviewer' });
    },
    setCheckRuns(ref, runs) {
      checkRuns.set(ref, runs.map((r) => ({ ...r })));
    },
    labelPull(number, labels) {
      getPull(number);
      pullLabels.set(number, [...new Set([...(pullLabels.get(number) ?? []), ...labels])]);
    },
    fault(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    requireMergeQueue: (base, queueOptions = {}) => room.requireMergeQueue(base, queueOptions.requiredChecks ?? []),
    mergeQueue: (base) => room.queueOf(base),
    mergeGroupRef: (pull) => room.groupRef(pull),
    removeFromMergeQueue: (pull, reason) => room.remove(pull, reason),
    close: () => listening.close(),
    addReviewWithComments(number, review) {
      const id = nextId++;
      getPull(number).reviews.push({ id, state: review.state, body: review.body ?? '', user: review.user ?? 'reviewer' });
      reviewComments.set(id, review.comments.map((c) => ({ ...c })));
      return id;
    },
    scriptChecks(number, decide) {
      getPull(number);
      checkScripts.set(number, { decide, heads: [], runs: new Map() });
    },
    pullComments: (number) => pullConversation.get(number) ?? [],
  };
}
