// GitHub tests' shared set-up: scripted GitHub servers closed after each test, and the math project (a failing test)
// whose `origin` is a bare repository standing in for the GitHub remote, with main pushed there.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { git } from '../../src/git/index.ts';
import { startScriptedGitHubServer, type ScriptedGitHubOptions, type ScriptedGitHubServer } from '../../src/testkit/index.ts';
import { claudeConfig, mathProject } from './claude-run.ts';
import type { TempRepo, useTempRepos } from './git-fixture.ts';

/** The token the scripted GitHub accepts (its default). */
export const githubToken = 'test-github-token';

/** Start scripted GitHub servers in a test; each is closed after it. */
export function useScriptedGitHubs(): (options?: ScriptedGitHubOptions) => Promise<ScriptedGitHubServer> {
  const started: ScriptedGitHubServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const server = await startScriptedGitHubServer({ owner: 'acme', repo: 'widgets', token: githubToken, ...options });
    started.push(server);
    return server;
  };
}

export interface ProjectOnGitHub {
  repo: TempRepo;
  remote: string;
  github: ScriptedGitHubServer;
  /** main on the remote before the test: it must only ever move through GitHub. */
  remoteMain: string;
}

/** The math project as acme/widgets: `github` is its orch.config.json's github section (repo and apiUrl added). */
export async function projectOnGitHub(
  temp: ReturnType<typeof useTempRepos>,
  startGitHub: (options?: ScriptedGitHubOptions) => Promise<ScriptedGitHubServer>,
  options: { github?: Record<string, unknown>; landMerges?: boolean } = {},
): Promise<ProjectOnGitHub> {
  const remote = join(await temp.dir(), 'widgets.git');
  await git(['init', '--quiet', '--bare', '--initial-branch=main', remote], { cwd: '/' });
  const github = await startGitHub({ remote, landMerges: options.landMerges });
  const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig({ github: { repo: 'acme/widgets', apiUrl: github.url, ...options.github } }) } });
  await repo.git(['remote', 'add', 'origin', remote]);
  await repo.git(['push', '--quiet', 'origin', 'main']);
  const remoteMain = (await git(['--git-dir', remote, 'rev-parse', 'refs/heads/main'], { cwd: '/' })).stdout.trim();
  return { repo, remote, github, remoteMain };
}
