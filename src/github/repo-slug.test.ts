// Which GitHub repository a clone belongs to, from the URLs remotes really have.
import { describe, expect, it } from 'vitest';
import { parseSlug, slugFromRemoteUrl } from './repo-slug.ts';
import { resolveGitHubToken } from './token.ts';

describe('slugFromRemoteUrl', () => {
  it.each([
    ['git@github.com:acme/widgets.git', 'acme', 'widgets'],
    ['git@github.com:acme/widgets', 'acme', 'widgets'],
    ['https://github.com/acme/widgets.git', 'acme', 'widgets'],
    ['https://x-access-token:abc@github.com/acme/wid.gets/', 'acme', 'wid.gets'],
    ['ssh://git@github.example.com:2222/acme/widgets.git', 'acme', 'widgets'],
  ])('%s is %s/%s', (url, owner, repo) => {
    expect(slugFromRemoteUrl(url)).toEqual({ owner, repo });
  });

  it.each(['/srv/git/widgets.git', 'file:///srv/widgets.git', 'https://github.com/acme', ''])('%s is no GitHub repository', (url) => {
    expect(slugFromRemoteUrl(url)).toBeNull();
  });

  it('refuses a configured repository that is not owner/name, saying what is expected', () => {
    expect(() => parseSlug('widgets')).toThrow(/expected owner\/name/);
    expect(parseSlug('acme/widgets')).toEqual({ owner: 'acme', repo: 'widgets' });
  });
});

describe('resolveGitHubToken', () => {
  it('takes GH_TOKEN over GITHUB_TOKEN, and says what to do when there is none', async () => {
    expect(await resolveGitHubToken({ GH_TOKEN: 'a', GITHUB_TOKEN: 'b' })).toBe('a');
    expect(await resolveGitHubToken({ GH_TOKEN: ' ', GITHUB_TOKEN: 'b' })).toBe('b');
    // No gh on this PATH: no stored login either.
    await expect(resolveGitHubToken({ PATH: '/nonexistent' })).rejects.toThrow(/No GitHub token/);
  });
});
