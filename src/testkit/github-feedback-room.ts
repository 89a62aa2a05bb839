// The scripted GitHub's feedback side: reviews with line comments, check runs scripted per pushed head (CI that
// fails on one push and passes on the next), and the comments on a pull request's conversation.
import { bot, HttpError, objectBody, text } from './github-http.ts';
import type { ScriptedCheckRun, ScriptedPull, ScriptedReviewComment } from './github-records.ts';

export interface FeedbackRoomContext {
  pulls: ReadonlyMap<number, ScriptedPull>;
  /** The pull request, or GitHub's 404. */
  getPull(number: number): ScriptedPull;
  /** The next id of GitHub's one sequence of ids. */
  newId(): number;
}

type Review = { state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; body?: string; user?: string; comments: ScriptedReviewComment[] };

export function createFeedbackRoom(ctx: FeedbackRoomContext) {
const reviewComments = new Map<number, ScriptedReviewComment[]>();
const checkScripts = new Map<number, { decide: (sha: string, push: number) => ScriptedCheckRun[]; heads: string[]; runs: Map<string, ScriptedCheckRun[]> }>();
const pullConversation = new Map<number, { id: number; body: string; user: string }[]>();
/** A scripted pull request's runs for a head it has now or had; decided once per head. */
function scriptedRunsFor(ref: string): ScriptedCheckRun[] | undefined {
  for (const [number, script] of checkScripts) {
    const pull = ctx.pulls.get(number);
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
  const comment = { id: ctx.newId(), body: text(objectBody(body).body, 'body'), user: bot };
  list.push(comment);
  return [201, { id: comment.id, body: comment.body, user: { login: bot } }];
}
function route(method: string, rest: string): [number, unknown] | null {
  const m = /^\/pulls\/(\d+)\/reviews\/(\d+)\/comments$/.exec(rest);
  if (m === null || method !== 'GET') return null;
  const pull = ctx.getPull(Number(m[1]));
  const reviewId = Number(m[2]);
  if (!pull.reviews.some((r) => r.id === reviewId)) throw new HttpError(404, 'Not Found');
  const comments = reviewComments.get(reviewId) ?? [];
  return [200, comments.map((c, i) => ({ id: reviewId * 100 + i, pull_request_review_id: reviewId, path: c.path, line: c.line ?? null, body: c.body, user: { login: 'reviewer' } }))];
}

  return {
    scriptedRunsFor,
    routePullComments,
    /** GET a review's line comments; null for any other request. */
    route,
    addReviewWithComments(number: number, review: Review): number {
      const id = ctx.newId();
      ctx.getPull(number).reviews.push({ id, state: review.state, body: review.body ?? '', user: review.user ?? 'reviewer' });
      reviewComments.set(id, review.comments.map((c) => ({ ...c })));
      return id;
    },
    scriptChecks(number: number, decide: (sha: string, push: number) => ScriptedCheckRun[]): void {
      ctx.getPull(number);
      checkScripts.set(number, { decide, heads: [], runs: new Map() });
    },
    pullComments: (number: number) => pullConversation.get(number) ?? [],
  };
}
