import { describe, expect, it } from 'vitest';
import { assertRepoUrl, mirrorDir, redactUrl, redactUrlsIn } from './url.ts';

describe('repository URLs', () => {
  it('hides a password or token, keeps a user name', () => {
    expect(redactUrl('https://me:tok@host/x.git')).toBe('https://me:***@host/x.git');
    expect(redactUrl('https://x-access-token:ghp_abc@github.com/o/r')).toBe('https://x-access-token:***@github.com/o/r');
    expect(redactUrl('ssh://git@host/x.git')).toBe('ssh://git@host/x.git');
    expect(redactUrl('git@host:o/r.git')).toBe('git@host:o/r.git');
    expect(redactUrlsIn("fatal: unable to access 'https://a:b@h/r/': 403")).toBe("fatal: unable to access 'https://a:***@h/r/': 403");
  });

  it('takes the URLs git fetches from and refuses the rest with exit-2 errors', () => {
    for (const url of ['https://h/o/r.git', 'ssh://git@h/r', 'git@h:o/r.git', 'file:///srv/r.git', '/srv/r.git']) expect(assertRepoUrl(url)).toBe(url);
    expect(() => assertRepoUrl('https://u:p@h/r')).toThrow(/password or token/);
    expect(() => assertRepoUrl('ftp://h/r')).toThrow(/does not fetch over 'ftp:\/\/'/);
    expect(() => assertRepoUrl('-uhack')).toThrow(/must be a repository URL/);
    expect(() => assertRepoUrl('relative/dir')).toThrow(/must be a repository URL/);
  });

  it('names one mirror per URL', () => {
    expect(mirrorDir('/h', 'https://h/o/proj.git')).toMatch(/^\/h\/mirrors\/proj-[0-9a-f]{16}$/);
    expect(mirrorDir('/h', 'https://h/o/proj.git')).not.toBe(mirrorDir('/h', 'https://other/o/proj.git'));
  });
});
