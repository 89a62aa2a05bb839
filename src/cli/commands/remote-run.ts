// `orch run --repo-url`: the repository comes from a URL (a mirror under ORCH_HOME, fetched first), and the result
// goes back by pushing (src/remote/deliver.ts). Shared by `orch run` and `orch resume`.
import { resolveOrchHome } from '../../domain/paths.ts';
import { UsageError } from '../../domain/errors.ts';
import type { AuditedRunReport } from '../../domain/run-report.ts';
import { openRepository } from '../../git/index.ts';
import { deliverRun, type Delivery } from '../../remote/deliver.ts';
import { syncMirror } from '../../remote/mirror.ts';
import { assertRepoUrl } from '../../remote/url.ts';
import { printErr } from '../output.ts';

/** Fetch the mirror of `url` and say where the engine finds it, and the target when none was named. */
export async function prepareRepoUrl(url: string, flags: { repo?: string | undefined; base?: string | undefined; target?: string | undefined }): Promise<{ repoPath: string; target: string }> {
  if (flags.repo !== undefined) {
    throw new UsageError('--repo and --repo-url name the repository twice; give one.', { hint: '--repo <path> for a checkout on this machine, --repo-url <url> for a remote one.' });
  }
  const checked = assertRepoUrl(url);
  const mirror = await syncMirror(resolveOrchHome(), checked, { ref: flags.base ?? flags.target });
  return { repoPath: mirror.repo.root, target: flags.target ?? mirror.defaultBranch };
}

/** Push the run's result to its remote, when its repository is a mirror; says what happened on stderr. */
export async function deliverReport(report: AuditedRunReport): Promise<Delivery | null> {
  const { run } = report;
  const repo = await openRepository(run.projectPath).catch(() => null);
  if (repo === null) return null;
  const merged = report.merges.some((merge) => merge.status === 'merged' && merge.target === run.target);
  const delivery = await deliverRun(repo, { id: run.id, target: run.target, merged });
  if (delivery !== null) printErr(`orch: ${delivery.message}`);
  return delivery;
}
