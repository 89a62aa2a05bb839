// `orch run --repo-url`: the repository comes from a URL (a mirror under ORCH_HOME, fetched first), and the result
// goes back by pushing (the engine's delivery, src/engine/delivery.ts).
import { resolveOrchHome } from '../../domain/paths.ts';
import { UsageError } from '../../domain/errors.ts';
import { syncMirror } from '../../remote/mirror.ts';
import { assertRepoUrl } from '../../remote/url.ts';

/** Fetch the mirror of `url` and say where the engine finds it, and the target when none was named. */
export async function prepareRepoUrl(url: string, flags: { repo?: string | undefined; base?: string | undefined; target?: string | undefined }): Promise<{ repoPath: string; target: string }> {
  if (flags.repo !== undefined) {
    throw new UsageError('--repo and --repo-url name the repository twice; give one.', { hint: '--repo <path> for a checkout on this machine, --repo-url <url> for a remote one.' });
  }
  const checked = assertRepoUrl(url);
  const mirror = await syncMirror(resolveOrchHome(), checked, { ref: flags.base ?? flags.target });
  return { repoPath: mirror.repo.root, target: flags.target ?? mirror.defaultBranch };
}
