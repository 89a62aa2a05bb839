// Choosing the winner among judged attempts: a pure function, so it is easy to test and to explain.
// Criteria apply in order; the first that tells two candidates apart decides between them.
import type { Attempt, Verdict } from './records.ts';

export const selectionCriteria = ['checks', 'review', 'score', 'lines', 'finish'] as const;
export type SelectionCriterion = (typeof selectionCriteria)[number];
export const defaultSelectionOrder: readonly SelectionCriterion[] = selectionCriteria;

export interface Candidate {
  attempt: Attempt;
  verdict: Verdict | null;
}

export interface Selection {
  /** The winner's attempt id, or null when no candidate is eligible (no attempt produced a change). */
  winner: string | null;
  /** Every candidate, best first. */
  ranking: string[];
  /** Why the winner won, in a sentence a person can check against the numbers. */
  reason: string;
  order: SelectionCriterion[];
}

const changedLines = (c: Candidate): number => (c.attempt.diff ? c.attempt.diff.insertions + c.attempt.diff.deletions : Number.POSITIVE_INFINITY);
const finishedAt = (c: Candidate): number => (c.attempt.finishedAt ? Date.parse(c.attempt.finishedAt) : Number.POSITIVE_INFINITY);
const checksPass = (c: Candidate): boolean => c.verdict?.passed === true && c.attempt.status === 'succeeded';
const reviewPass = (c: Candidate): boolean => c.verdict?.review?.pass === true;
const score = (c: Candidate): number => c.verdict?.review?.score ?? -1;

/** Negative when a is better than b by this criterion, positive when worse, 0 when it cannot tell. */
function compareBy(criterion: SelectionCriterion, a: Candidate, b: Candidate): number {
  switch (criterion) {
    case 'checks':
      return Number(checksPass(b)) - Number(checksPass(a));
    case 'review':
      return Number(reviewPass(b)) - Number(reviewPass(a));
    case 'score':
      return score(b) - score(a);
    case 'lines':
      return changedLines(a) - changedLines(b);
    case 'finish':
      return finishedAt(a) - finishedAt(b);
  }
}

function describe(criterion: SelectionCriterion, winner: Candidate, runnerUp: Candidate): string {
  switch (criterion) {
    case 'checks':
      return `it passes the checks and ${runnerUp.attempt.id} does not`;
    case 'review':
      return `the reviewer passed it and not ${runnerUp.attempt.id}`;
    case 'score':
      return `its review score is ${score(winner)} against ${score(runnerUp)} for ${runnerUp.attempt.id}`;
    case 'lines':
      return `it changes ${changedLines(winner)} lines against ${changedLines(runnerUp)} for ${runnerUp.attempt.id}`;
    case 'finish':
      return `it finished before ${runnerUp.attempt.id}, which is equal on every other count`;
  }
}

export function selectWinner(candidates: readonly Candidate[], order: readonly SelectionCriterion[] = defaultSelectionOrder): Selection {
  const eligible = candidates.filter((c) => c.attempt.headSha !== null && (c.attempt.diff?.filesChanged ?? 0) > 0);
  const compare = (a: Candidate, b: Candidate): number => {
    for (const criterion of order) {
      const difference = compareBy(criterion, a, b);
      if (difference !== 0) return difference;
    }
    return a.attempt.id.localeCompare(b.attempt.id);
  };
  const ranked = [...eligible].sort(compare);
  const ineligible = candidates.filter((c) => !eligible.includes(c)).map((c) => c.attempt.id);
  const ranking = [...ranked.map((c) => c.attempt.id), ...ineligible];
  const [first, second] = ranked;
  if (first === undefined) return { winner: null, ranking, reason: 'No attempt produced a change to choose from.', order: [...order] };
  if (second === undefined) {
    const passes = checksPass(first) ? 'passes the checks' : 'does not pass the checks';
    return { winner: first.attempt.id, ranking, reason: `${first.attempt.id} is the only attempt with a change; it ${passes}.`, order: [...order] };
  }
  const decisive = order.find((criterion) => compareBy(criterion, first, second) !== 0);
  const why = decisive ? describe(decisive, first, second) : `it ties with ${second.attempt.id} on every criterion and comes first by id`;
  const passing = candidates.filter(checksPass).length;
  return { winner: first.attempt.id, ranking, reason: `${first.attempt.id} won: ${why} (${passing} of ${candidates.length} attempts pass the checks).`, order: [...order] };
}

export function parseSelectionOrder(text: string): SelectionCriterion[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of parts) {
    if (!(selectionCriteria as readonly string[]).includes(part)) {
      throw new Error(`unknown selection criterion '${part}' (use: ${selectionCriteria.join(', ')})`);
    }
  }
  return parts as SelectionCriterion[];
}
