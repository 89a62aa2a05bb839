// The GitHub token: GH_TOKEN, then GITHUB_TOKEN, then the gh CLI's stored login (`gh auth token`). It is handed to
// the client and nowhere else: never logged, never written to the store or a run's settings.
import { execFile } from 'node:child_process';
import { UsageError } from '../domain/errors.ts';

function ghAuthToken(env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    // argv only; a missing or logged-out gh is simply no token.
    execFile('gh', ['auth', 'token'], { env, timeout: 10_000, encoding: 'utf8' }, (error, stdout) => {
      const token = stdout.trim();
      resolve(error === null && token !== '' ? token : null);
    });
  });
}

export async function resolveGitHubToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN'] as const) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  const fromGh = await ghAuthToken(env);
  if (fromGh !== null) return fromGh;
  throw new UsageError('No GitHub token: GH_TOKEN and GITHUB_TOKEN are unset and the gh CLI has no stored login.', {
    hint: 'Set GH_TOKEN (a token with repo scope), or run: gh auth login',
  });
}
