// The prompt an attempt's agent receives: the user's goal plus orch's standing instructions (src/prompts/).
import { renderPrompt } from '../../agents/prompt-template.ts';

export { renderPrompt };

export function attemptPrompt(goal: string, feedback?: string): string {
  const prompt = renderPrompt('attempt', { goal });
  return feedback ? `${prompt}\n\n## Feedback from an earlier round\n\n${feedback}\n` : prompt;
}
