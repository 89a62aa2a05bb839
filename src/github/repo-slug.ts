// Which GitHub repository a local clone belongs to: config `github.repo`, else the `origin` remote's URL.
import { UsageError } from '../domain/errors.ts';
import { git, type Repository } from '../git/index.ts';

export interface RepoSlug {
  owner: string;
  repo: string;
}

/** owner/name from a GitHub remote URL (https, ssh, scp-like git@host:owner/name), or null for any other URL. */
export function slugFromRemoteUrl(url: string): RepoSlug | null {
  const match =
    /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|git:\/\/)[^/]+(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim()) ??
    /^[^@/\s]+@[^:/\s]+:([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (match === null) return null;
  return { owner: match[1] ?? '', repo: match[2] ?? '' };
}

export function parseSlug(text: string): RepoSlug {
  const [owner, repo, ...rest] = text.split('/');
  if (owner === undefined || repo === undefined || owner === '' || repo === '' || rest.length > 0) {
    throw new UsageError(`'${text}' is not a GitHub repository: expected owner/name.`, { hint: 'e.g. "github": { "repo": "acme/widgets" }' });
  }
  return { owner, repo };
}

export async function resolveRepoSlug(repo: Repository, configured: string | undefined): Promise<RepoSlug> {
  if (configured !== undefined) return parseSlug(configured);
  const remote = await git(['remote', 'get-url', 'origin'], { cwd: repo.root, allowFailure: true });
  if (remote.exitCode !== 0) {
    throw new UsageError('This repository has no `origin` remote, so orch cannot tell which GitHub repository it is.', {
      hint: 'Add one (git remote add origin git@github.com:OWNER/NAME.git) or set github.repo in orch.config.json.',
    });
  }
  const slug = slugFromRemoteUrl(remote.stdout);
  if (slug === null) {
    throw new UsageError(`The origin remote (${remote.stdout.trim()}) is not a GitHub URL.`, { hint: 'Set github.repo ("owner/name") in orch.config.json.' });
  }
  return slug;
}
