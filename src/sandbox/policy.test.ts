import { describe, expect, it } from 'vitest';
import { allowedHosts, parseHostPort } from './allowed-hosts.ts';
import { orderedMounts, sandboxedCommand } from './bwrap-argv.ts';
import { hostAllowed } from './network-bridge.ts';

describe('bwrap mounts', () => {
  it('mounts parents before what goes inside them, hiding before binding back', () => {
    const mounts = orderedMounts({
      hidden: ['/home/u', '/home/u/.orch', '/tmp'],
      readOnly: ['/home/u/repo/.git', '/home/u/.orch/net'],
      writable: ['/home/u/.orch/worktrees/p/a', '/home/u/repo/.git/objects', '/home/u/.orch'],
    });
    expect(mounts.map((m) => `${m.kind} ${m.path}`)).toEqual([
      'hide /tmp',
      'hide /home/u',
      // Given twice, a path keeps its most open kind.
      'rw /home/u/.orch',
      'ro /home/u/.orch/net',
      'ro /home/u/repo/.git',
      'rw /home/u/repo/.git/objects',
      'rw /home/u/.orch/worktrees/p/a',
    ]);
  });

  it('builds argv around the command, never a shell string, with its variables over the environment', () => {
    const { argv, env } = sandboxedCommand(
      { bwrap: '/usr/bin/bwrap', cwd: '/w', hidden: ['/tmp'], readOnly: [], writable: ['/w'], shareNetwork: false, innerPrefix: ['/usr/bin/prlimit', '--nproc=9', '--'], outerPrefix: [], env: { HOME: '/h' } },
      ['claude', '-p', '--', '$(rm -rf ~)'],
      { HOME: '/root', PATH: '/bin' },
    );
    expect(argv[0]).toBe('/usr/bin/bwrap');
    expect(argv).toContain('--unshare-net');
    expect(argv.slice(argv.indexOf('--cap-drop'), argv.indexOf('--cap-drop') + 2)).toEqual(['--cap-drop', 'ALL']);
    expect(argv.slice(-8)).toEqual(['--', '/usr/bin/prlimit', '--nproc=9', '--', 'claude', '-p', '--', '$(rm -rf ~)']);
    expect(env).toEqual({ HOME: '/h', PATH: '/bin' });
  });
});

describe('allowed hosts', () => {
  it('reads host and port from URLs and host[:port] entries', () => {
    expect(parseHostPort('http://127.0.0.1:4000/v1')).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(parseHostPort('https://API.example.com')).toEqual({ host: 'api.example.com', port: 443 });
    expect(parseHostPort('pypi.org')).toEqual({ host: 'pypi.org', port: 0 });
    expect(parseHostPort('localhost:8080')).toEqual({ host: 'localhost', port: 8080 });
  });

  it("takes the agent's base URL variables and vendor hosts, not every URL in the environment", () => {
    const hosts = allowedHosts('claude', { ANTHROPIC_BASE_URL: 'http://127.0.0.1:4567', HOMEPAGE: 'http://127.0.0.1:9999' }, ['registry.npmjs.org']);
    expect(hosts).toContainEqual({ host: '127.0.0.1', port: 4567 });
    expect(hosts).toContainEqual({ host: 'api.anthropic.com', port: 0 });
    expect(hosts).toContainEqual({ host: 'registry.npmjs.org', port: 0 });
    expect(hosts).not.toContainEqual({ host: '127.0.0.1', port: 9999 });
    // Checks name no agent: only what the config allows.
    expect(allowedHosts(undefined, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:4567' }, [])).toEqual([]);
  });

  it('lets the proxy through only allowed hosts and ports', () => {
    const allowed = [
      { host: 'api.anthropic.com', port: 0 },
      { host: '*.example.org', port: 8443 },
    ];
    expect(hostAllowed(allowed, 'api.anthropic.com', 443)).toBe(true);
    expect(hostAllowed(allowed, 'API.anthropic.com', 443)).toBe(true);
    expect(hostAllowed(allowed, 'api.anthropic.com', 22)).toBe(false);
    expect(hostAllowed(allowed, 'evil.com', 443)).toBe(false);
    expect(hostAllowed(allowed, 'api.anthropic.com.evil.com', 443)).toBe(false);
    expect(hostAllowed(allowed, 'a.example.org', 8443)).toBe(true);
    expect(hostAllowed(allowed, 'example.org.evil', 8443)).toBe(false);
  });
});
