import { describe, expect, it } from 'vitest';
import type { Attempt, Verdict } from './records.ts';
import { parseSelectionOrder, selectWinner, type Candidate } from './selection.ts';

function candidate(id: string, options: { passed: boolean; lines: number; score?: number; reviewPass?: boolean; finishedAt?: string }): Candidate {
  const attempt = {
    id,
    status: 'succeeded',
    headSha: 'f'.repeat(40),
    diff: { filesChanged: 1, insertions: options.lines, deletions: 0, files: [] },
    finishedAt: options.finishedAt ?? '2026-01-01T00:00:00.000Z',
  } as unknown as Attempt;
  const review = options.score === undefined ? null : { score: options.score, pass: options.reviewPass ?? true, reasoning: '', risks: [] };
  const verdict = { id: `v_${id}`, attemptId: id, passed: options.passed, checks: [], review, reviewError: null, createdAt: '' } as Verdict;
  return { attempt, verdict };
}

describe('selectWinner', () => {
  it('prefers passing checks, then the smaller diff, and says why', () => {
    const selection = selectWinner([
      candidate('att_1', { passed: false, lines: 2 }),
      candidate('att_2', { passed: true, lines: 140 }),
      candidate('att_3', { passed: true, lines: 6 }),
    ]);
    expect(selection.winner).toBe('att_3');
    expect(selection.ranking).toEqual(['att_3', 'att_2', 'att_1']);
    expect(selection.reason).toBe('att_3 won: it changes 6 lines against 140 for att_2 (2 of 3 attempts pass the checks).');
  });

  it('ranks by review pass and score before diff size', () => {
    const selection = selectWinner([candidate('att_1', { passed: true, lines: 1, score: 5 }), candidate('att_2', { passed: true, lines: 90, score: 9 })]);
    expect(selection.winner).toBe('att_2');
    expect(selection.reason).toContain('review score is 9 against 5');
  });

  it('follows a configured order', () => {
    const order = parseSelectionOrder('lines,checks');
    const selection = selectWinner([candidate('att_1', { passed: true, lines: 50 }), candidate('att_2', { passed: false, lines: 3 })], order);
    expect(selection.winner).toBe('att_2');
    expect(() => parseSelectionOrder('checks,vibes')).toThrow(/unknown selection criterion 'vibes'/);
  });

  it('has no winner when no attempt changed anything', () => {
    const empty = candidate('att_1', { passed: true, lines: 0 });
    (empty.attempt as { diff: unknown }).diff = { filesChanged: 0, insertions: 0, deletions: 0, files: [] };
    expect(selectWinner([empty]).winner).toBeNull();
  });
});
