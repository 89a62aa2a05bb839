// The prompt an attempt's agent receives: the user's goal plus orch's standing instructions.
import { readFileSync } from 'node:fs';

const template = readFileSync(new URL('../prompts/attempt.md', import.meta.url), 'utf8');

export function attemptPrompt(goal: string, feedback?: string): string {
  const filled = template.replace('{{goal}}', () => goal);
  return feedback ? `${filled}\n\n## Feedback from the previous round\n\n${feedback}\n` : filled;
}
