// The pairwise comparator of the tournament strategy: a read-only agent reads two compact attempt summaries and
// names the better one. Same contract as the reviewer: one repair round, failures as `compare_failed`.
import { z } from 'zod';
import { fence, renderPrompt } from '../agents/prompt-template.ts';
import { structuredCall, type AgentCallOptions, type CallUsage } from '../agents/structured-call.ts';

export { summarizeAttempt, type AttemptDiff, type DiffStatLike, type SummaryOptions } from './attempt-summary.ts';

export const comparisonAnswerSchema = z.object({
  winner: z.enum(['A', 'B']),
  reasoning: z.string(),
});
export type ComparisonAnswer = z.infer<typeof comparisonAnswerSchema>;

export interface CompareRequest extends AgentCallOptions {
  goal: string;
  /** Summaries from `summarizeAttempt`: their untrusted parts are fenced already. */
  a: string;
  b: string;
}

export type CompareOutcome =
  | { status: 'compared'; winner: 'A' | 'B'; reasoning: string; usage: CallUsage }
  | { status: 'compare_failed'; error: string; usage: CallUsage };

export function comparePrompt(goal: string, a: string, b: string): string {
  return renderPrompt('compare', { goal: fence(goal), a, b });
}

export async function compareAttempts(request: CompareRequest): Promise<CompareOutcome> {
  const { goal, a, b, ...agent } = request;
  const outcome = await structuredCall({ ...agent, prompt: comparePrompt(goal, a, b), schema: comparisonAnswerSchema });
  return outcome.ok
    ? { status: 'compared', winner: outcome.value.winner, reasoning: outcome.value.reasoning, usage: outcome.usage }
    : { status: 'compare_failed', error: outcome.error, usage: outcome.usage };
}
