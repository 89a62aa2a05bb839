// Files that hold orch's own rules for a repository: an agent's change to them is never merged unreviewed, or an
// agent could turn the checks off (`"test": "true"`) or point the next runs' agents at another API host.
import type { Attempt } from '../domain/records.ts';

const protectedPaths = [/^orch\.config\.json$/, /^\.orch(\/|$)/];

export function protectedChanges(attempt: Attempt): string[] {
  return (attempt.diff?.files ?? []).map((f) => f.path).filter((path) => protectedPaths.some((pattern) => pattern.test(path)));
}

export function protectedChangeMessage(attempt: Attempt, files: readonly string[]): string {
  return `The attempt changes ${files.join(', ')} — orch's own rules for this repository — so orch did not merge it. Review the change, then merge it yourself: git merge ${attempt.branch}`;
}
