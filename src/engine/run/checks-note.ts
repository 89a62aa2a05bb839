// The first thing a run says: which checks will judge the attempts, and where they came from, or that there are
// none and what that means for the result.
import { renderCommand } from '../../domain/config.ts';
import type { RunSettings } from '../core/settings.ts';

export function checksNote(settings: RunSettings): string {
  const { test, lint, foundIn, allowUnchecked } = settings.checks;
  if (test === undefined && lint === undefined) {
    if (settings.review.enabled) return 'checks: none configured and none found in the project; the AI reviewer alone judges the attempts';
    return allowUnchecked
      ? 'checks: none configured and none found in the project; unchecked results merge (--allow-unchecked)'
      : 'checks: none configured and none found in the project; the result will stay on its branch orch/<run>/result (set checks.test or --test-cmd, use --review, or pass --allow-unchecked)';
  }
  const parts = [test === undefined ? undefined : `test \`${renderCommand(test)}\``, lint === undefined ? undefined : `lint \`${renderCommand(lint)}\``].filter(Boolean);
  const source = foundIn === undefined ? '' : ` (found in ${foundIn}; set checks.test or --test-cmd to choose another)`;
  return `checks: ${parts.join(', ')}${source}`;
}
