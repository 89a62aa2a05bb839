// The scope of one task of a plan run: its own goal and step keys, attempts that start from its target branch as
// it stands when the task starts (after its dependencies merged), and merges through the refinery.
import type { Task } from '../../domain/records.ts';
import { resolveCommit } from '../../git/index.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep } from './durable.ts';

export function taskGoal(task: Task): string {
  const acceptance = task.acceptance ? `\n\nDone when: ${task.acceptance}` : '';
  const files = task.files.length > 0 ? `\n\nFiles it likely touches: ${task.files.join(', ')}` : '';
  return `${task.title}\n\n${task.description}${acceptance}${files}`;
}

/** `round`: a task sent back after a failed merge starts again from its target as it stands then. */
export async function taskScope(scope: RunScope, task: Task, target: string, round = 0): Promise<RunScope> {
  const keyPrefix = `task/${task.key}/`;
  // Where the task starts is decided once: a resumed run starts its attempts from the same commit.
  const baseSha = await durableStep(
    scope,
    round === 0 ? `${keyPrefix}base` : `${keyPrefix}base/${round}`,
    { target },
    async () => {
      const sha = await resolveCommit(scope.repo, `refs/heads/${target}`);
      return { value: sha, stored: { sha } };
    },
    (stored) => stored.sha,
  );
  return { ...scope, goal: taskGoal(task), target, baseSha, keyPrefix, taskKey: task.key, refinery: true };
}
