// Repository URLs: which ones orch takes, how they are named on disk, and how they are shown. Credentials come from
// git's own helpers and the SSH agent; a password written into a URL would end up in the store and in logs, so
// such a URL is refused, and every URL orch prints goes through redactUrl.
import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../domain/errors.ts';

const schemeUrl = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i;
// scp-like syntax: user@host:path (no scheme). git treats a colon before the first slash as this form.
const scpLike = /^([^/@:]+@)?([^/:]+):(?!\/\/)(.+)$/;

/** The URL with any password (or token) in its userinfo replaced by `***`; a user name alone is kept. */
export function redactUrl(url: string): string {
  const match = schemeUrl.exec(url);
  if (match === null) return url;
  const [, scheme, authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const shown = colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:***`;
  return `${scheme}://${shown}${authority.slice(at)}${rest}`;
}

/** Every URL-looking thing in a text (git's messages quote the URL they failed on) redacted. */
export function redactUrlsIn(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => redactUrl(url));
}

/** Check a repository URL given by a user: clear words and exit 2 for what orch cannot take. */
export function assertRepoUrl(url: string, flag = '--repo-url'): string {
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.startsWith('-')) {
    throw new UsageError(`${flag} must be a repository URL, not '${url}'.`, { hint: 'For example: --repo-url https://github.com/you/project.git or git@host:you/project.git' });
  }
  const match = schemeUrl.exec(trimmed);
  if (match !== null) {
    const scheme = (match[1] ?? '').toLowerCase();
    if (!['https', 'http', 'ssh', 'git', 'file'].includes(scheme)) {
      throw new UsageError(`${flag}: orch does not fetch over '${scheme}://'.`, { hint: 'Use an https://, ssh://, git:// or file:// URL, or user@host:path.' });
    }
    const authority = match[2] ?? '';
    const userinfo = authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : '';
    if (userinfo.includes(':')) {
      throw new UsageError(`${flag} holds a password or token (${redactUrl(trimmed)}); orch never stores one.`, {
        hint: 'Leave it out of the URL and let git supply it: a credential helper (git config credential.helper), an SSH key in your agent, or a token in ~/.git-credentials.',
      });
    }
    return trimmed;
  }
  if (scpLike.test(trimmed) || isAbsolute(trimmed)) return trimmed;
  throw new UsageError(`${flag} must be a repository URL, not '${url}'.`, {
    hint: 'Give a URL (https://…, ssh://…, file:///path) or user@host:path; for a checkout on this machine use --repo <path>.',
  });
}

/** The folder of a URL's mirror under ORCH_HOME: a hash of the URL, with a readable tail. */
export function mirrorDir(home: string, url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const tail = (url.replace(/\.git\/?$/, '').split(/[/:]/).filter(Boolean).at(-1) ?? 'repo').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').slice(0, 40);
  return join(home, 'mirrors', `${tail}-${hash}`);
}
