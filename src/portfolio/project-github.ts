// A portfolio project's GitHub: the repository its orch.config.json names (github.repo, else the origin remote),
// the API address it names (github.apiUrl) and the token from GH_TOKEN / GITHUB_TOKEN / gh, as `orch run --issue`.
import { loadConfig } from '../engine/run/config-file.ts';
import { openRepository } from '../git/index.ts';
import { openGitHub, resolveGitHubToken, resolveRepoSlug, type GitHub } from '../github/index.ts';

export async function openProjectGitHub(projectPath: string, onWait?: (message: string) => void): Promise<GitHub> {
  const repo = await openRepository(projectPath);
  const config = loadConfig(repo.root);
  const slug = await resolveRepoSlug(repo, config.github.repo);
  const token = await resolveGitHubToken();
  return openGitHub({ baseUrl: config.github.apiUrl, token, slug, ...(onWait === undefined ? {} : { onWait }) });
}
