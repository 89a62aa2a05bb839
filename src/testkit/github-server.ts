// A scripted GitHub REST API on 127.0.0.1: issues (labels, comments, state), pull requests (create, update, list by
// head, merge, draft), reviews, check runs and combined status, rate-limit headers on every answer, and faults to
// inject (4xx/5xx, a 403 rate limit with its reset time). GitHub cannot be reached from test machines; the real
// client (Octokit) talks to this over HTTP. With `remote`, pull requests read their head from a bare repository,
// as GitHub reads them from the pushed branch, and mergeability from it; the merge side (merges landing on the remote,
// branch rules, the merge queue behind /graphql) is in github-merge-room.ts, reviews' line comments and scripted
// checks per head in github-feedback-room.ts, the records a test reads in github-records.ts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMergeRoom, GraphQLError, nodeId } from './github-merge-room.ts';
import { createFeedbackRoom } from './github-feedback-room.ts';
import { bot, HttpError, objectBody, text } from './github-http.ts';
import { listenLocal, parseJson, readBody, sendJson } from './http.ts';

export type { GitHubUser, ScriptedIssue, ScriptedPull, ScriptedCheckRun, ScriptedReviewComment, GitHubFault, GitHubRecordedRequest, ScriptedGitHubOptions, ScriptedGitHubServer } from './github-records.ts';
import type { ScriptedIssue, ScriptedPull, ScriptedCheckRun, GitHubFault, GitHubRecordedRequest, ScriptedGitHubOptions, ScriptedGitHubServer } from './github-records.ts';

function rateHeaders(remaining: number, resetAt: number): Record<string, string> {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetAt),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-resource': 'core',
  };
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
    checkRuns.get(ref) ?? feedbackRoom.scriptedRunsFor(ref) ?? [...pulls.values()].filter((p) => p.headSha === ref).map((p) => checkRuns.get(p.head)).find((runs) => runs !== undefined) ?? [];
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
  const feedbackRoom = createFeedbackRoom({ pulls, getPull, newId: () => nextId++ });

  /** The answer to one API call: [status, body]. */
  function route(method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] {
    if (method === 'GET' && path === '/rate_limit') return [200, { resources: { core: { limit: 5000, remaining, reset: Math.floor(Date.now() / 1000) + 3600 } } }];
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
    if (match === null || match[1] !== owner || match[2] !== repoName) throw new HttpError(404, 'Not Found');
    const rest = match[3] ?? '';
    const feedback = feedbackRoom.route(method, rest);
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
      if (issue === null) return feedbackRoom.routePullComments(method, Number(m[1]), body);
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
    addReviewWithComments: (number, review) => feedbackRoom.addReviewWithComments(number, review),
    scriptChecks: (number, decide) => feedbackRoom.scriptChecks(number, decide),
    pullComments: (number) => feedbackRoom.pullComments(number),
  };
}
