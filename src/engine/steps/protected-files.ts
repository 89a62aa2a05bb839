// Files that hold orch's own rules for a repository: an agent's change to them is never merged unreviewed, or an
// agent could turn the checks off (`"test": "true"`) or point the next runs' agents at another API host.
import type { Attempt, Verdict } from '../../domain/records.ts';

const protectedPaths = [/^orch\.config\.json$/, /^\.orch(\/|$)/];

export function protectedChanges(attempt: Attempt): string[] {
  return (attempt.diff?.files ?? []).map((f) => f.path).filter((path) => protectedPaths.some((pattern) => pattern.test(path)));
}

export function protectedChangeMessage(attempt: Attempt, files: readonly string[]): string {
  return `The attempt changes ${files.join(', ')} — orch's own rules for this repository — so orch did not merge it. Review the change, then merge it yourself: git merge ${attempt.branch}`;
}

/** Files that define the checks (tests, their config) the attempt changed, when no reviewer passed the change:
 * such a change is never merged unreviewed, whatever the checks say. */
export function unreviewedCheckFileChanges(verdict: Verdict | undefined): string[] {
  const files = verdict?.judgement?.protectedFiles ?? [];
  return verdict?.review?.pass === true ? [] : files;
}

/** Why a merge holds back: check files changed unreviewed, or nothing checked the change at all. */
export function holdBackReason(verdict: Verdict | undefined, allowUnchecked: boolean): string | null {
  const checkFiles = unreviewedCheckFileChanges(verdict);
  if (checkFiles.length > 0) {
    return `The attempt changes files that define the checks (${checkFiles.join(', ')}) and no reviewer passed the change, so orch did not merge it.`;
  }
  const unchecked = (verdict?.checks.length ?? 0) === 0 && verdict?.review?.pass !== true;
  if (unchecked && !allowUnchecked) {
    return 'No check ran on it (none configured, none found in the project) and no reviewer passed it, so orch did not merge it. Configure checks.test (or --test-cmd), run with --review, or pass --allow-unchecked to merge unchecked results.';
  }
  return null;
}
