// The sandbox with the real bwrap, real git and real sockets: what a process inside can and cannot do.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { prepareSandbox, processLimitMethod, sandboxSupport, type SandboxRequest } from './index.ts';

const temp = useTempRepos();
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function httpServer(body: string): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_, res) => {
    hits++;
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, hits: () => hits };
}

/** A repository with an attempt worktree on an orch branch, a fake HOME holding two agents' logins, an ORCH_HOME. */
async function setting() {
  const repo = await temp.repo({ files: { 'README.md': 'user file\n' } });
  const orchHome = await temp.dir();
  const home = await temp.dir();
  writeFileSync(join(home, '.claude.json'), '{"claude":"login"}');
  mkdirSync(join(home, '.codex'));
  writeFileSync(join(home, '.codex', 'auth.json'), '{"codex":"login"}');
  writeFileSync(join(home, '.bashrc'), 'user bashrc\n');
  writeFileSync(join(orchHome, 'credentials.json'), '{"secret":"orch"}');
  const worktree = join(orchHome, 'worktrees', 'p', 'att1');
  await repo.git(['worktree', 'add', '--quiet', '-b', 'orch/run1/main/1', worktree]);
  return { repo, orchHome, home, worktree };
}

async function sandboxed(request: SandboxRequest, script: string, cwd: string, env: NodeJS.ProcessEnv) {
  const command = await prepareSandbox(request, { argv: ['/bin/bash', '-c', script], cwd, env: { ...process.env, ...env } });
  try {
    // Plain execFile: process/ is this room's sibling, not below it.
    return await new Promise<{ stdout: string }>((resolve) => {
      execFile(command.argv[0] ?? '', command.argv.slice(1), { cwd, env: command.env, timeout: 120_000 }, (_error, stdout) => resolve({ stdout }));
    });
  } finally {
    await command.close();
  }
}

const lines = (text: string) => Object.fromEntries(text.split('\n').filter((line) => line.includes('=')).map((line) => line.split('=', 2) as [string, string]));

describe.skipIf(!sandboxSupport().available)('the bwrap sandbox', () => {
  it("lets an agent work and commit in its worktree and reach its model, and nothing else", async () => {
    const { repo, orchHome, home, worktree } = await setting();
    const model = await httpServer('model');
    const other = await httpServer('other');
    const mainBefore = await repo.git(['rev-parse', 'main']);
    const configBefore = readFileSync(join(repo.root, '.git', 'config'), 'utf8');
    const script = [
      'echo work > work.txt && git add work.txt && git -c user.name=a -c user.email=b commit -qm work && echo commit=ok',
      'git update-ref refs/heads/main HEAD 2>/dev/null && echo main=moved || echo main=refused',
      'git config core.hooksPath /tmp/h 2>/dev/null && echo config=written || echo config=refused',
      `echo x > ${repo.root}/.git/hooks/pre-commit 2>/dev/null && echo hook=written || echo hook=refused`,
      // The user's checkout is not even visible (an empty tmpfs): what is written there vanishes with the sandbox.
      `echo checkout-readme=$(cat ${repo.root}/README.md 2>/dev/null || echo hidden); echo x > ${repo.root}/README.md`,
      `cat ${orchHome}/credentials.json >/dev/null 2>&1 && echo credentials=read || echo credentials=hidden`,
      `cat ${home}/.bashrc >/dev/null 2>&1 && echo real-home=read || echo real-home=hidden`,
      'echo home=$HOME; test -f ~/.claude.json && echo claude-login=yes; test -e ~/.codex && echo codex-login=yes || echo codex-login=no',
      'echo mine >> ~/.bashrc',
      `echo model=$(curl -s -m 5 ${model.url} || echo refused)`,
      `echo other=$(curl -s -m 5 ${other.url} || echo refused)`,
      `echo remote=$(curl -s -m 5 -o /dev/null -w '%{http_connect}' https://not-allowed.example/ 2>/dev/null)`,
    ].join('\n');
    const request: SandboxRequest = { mode: 'bwrap', orchHome, kind: 'agent', agent: 'claude', network: 'filtered', allowHosts: [], maxProcesses: 512 };
    const result = await sandboxed(request, script, worktree, { HOME: home, ANTHROPIC_BASE_URL: model.url });
    const seen = lines(result.stdout);

    expect(seen).toMatchObject({
      commit: 'ok',
      main: 'refused',
      config: 'refused',
      hook: 'refused',
      'checkout-readme': 'hidden',
      credentials: 'hidden',
      'real-home': 'hidden',
      'claude-login': 'yes',
      'codex-login': 'no',
      model: 'model',
      other: 'refused',
      // The filtering proxy refuses the CONNECT.
      remote: '403',
    });
    expect(seen['home']).toBe(join(orchHome, 'sandboxes', 'att1-agent', 'home'));
    // On the host: the commit is on the attempt's branch; main, config, hooks, the checkout and HOME are untouched.
    expect(await repo.git(['show', 'orch/run1/main/1:work.txt'])).toBe('work');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(readFileSync(join(repo.root, '.git', 'config'), 'utf8')).toBe(configBefore);
    expect(existsSync(join(repo.root, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(readFileSync(join(repo.root, 'README.md'), 'utf8')).toBe('user file\n');
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('user bashrc\n');
    expect(other.hits()).toBe(0);
    expect(model.hits()).toBe(1);
  });

  it("starts an agent program called through a hidden checkout's node_modules/.bin link (a clone under /tmp or HOME)", async () => {
    const { orchHome, home, worktree } = await setting();
    // orch's own install under /tmp (hidden in the sandbox): the link in .bin and the package it points into.
    const install = join(await temp.dir(), 'node_modules');
    mkdirSync(join(install, 'agent-cli', 'bin'), { recursive: true });
    mkdirSync(join(install, '.bin'));
    writeFileSync(join(install, 'agent-cli', 'bin', 'agent.sh'), '#!/bin/sh\necho agent=ran\n', { mode: 0o755 });
    symlinkSync('../agent-cli/bin/agent.sh', join(install, '.bin', 'agent'));
    const request: SandboxRequest = { mode: 'bwrap', orchHome, kind: 'agent', agent: 'claude', network: 'none', allowHosts: [], maxProcesses: 512 };
    const command = await prepareSandbox(request, { argv: [join(install, '.bin', 'agent')], cwd: worktree, env: { ...process.env, HOME: home } });
    try {
      const stdout = await new Promise<string>((resolve) => {
        execFile(command.argv[0] ?? '', command.argv.slice(1), { cwd: worktree, env: command.env, timeout: 120_000 }, (_error, out, err) => resolve(`${out}${err}`));
      });
      expect(stdout).toContain('agent=ran');
    } finally {
      await command.close();
    }
  });

  it('gives checks no network, a read-only .git and their own HOME', async () => {
    const { repo, orchHome, home, worktree } = await setting();
    const model = await httpServer('model');
    const script = [
      `echo model=$(curl -s -m 5 ${model.url} || echo refused)`,
      'echo > out.txt && echo worktree=writable',
      'echo x > .git-probe; git -c user.name=a -c user.email=b commit -qam x 2>/dev/null && echo commit=ok || echo commit=refused',
      'echo home=$HOME; test -e ~/.claude.json && echo login=yes || echo login=no',
    ].join('\n');
    const request: SandboxRequest = { mode: 'bwrap', orchHome, kind: 'check', network: 'none', allowHosts: [], maxProcesses: 512 };
    const result = await sandboxed(request, script, worktree, { HOME: home, ANTHROPIC_BASE_URL: model.url });
    expect(lines(result.stdout)).toMatchObject({ model: 'refused', worktree: 'writable', commit: 'refused', home: join(orchHome, 'sandboxes', 'att1-check', 'home'), login: 'no' });
    expect(model.hits()).toBe(0);
    expect(await repo.git(['rev-parse', 'orch/run1/main/1'])).toBe(await repo.git(['rev-parse', 'main']));
  });

  it.skipIf(processLimitMethod() === 'none')('holds a sandbox to its process limit', async () => {
    const { orchHome, worktree } = await setting();
    // 200 children at once: far more than the limit allows. A real fork bomb stops at the same ceiling.
    // (Node, not bash: bash retries a refused fork with growing waits.)
    const spawner = "let ok = 0; for (let i = 0; i < 200; i++) { const c = require('node:child_process').spawn('sleep', ['3']); c.on('error', () => {}); if (c.pid) ok++; } console.log('running=' + ok); process.exit(0);";
    const script = `${JSON.stringify(process.execPath)} -e ${JSON.stringify(spawner)}`;
    const request: SandboxRequest = { mode: 'bwrap', orchHome, kind: 'check', network: 'none', allowHosts: [], maxProcesses: 64 };
    const result = await sandboxed(request, script, worktree, {});
    const running = Number(lines(result.stdout)['running']);
    expect(running).toBeGreaterThan(10);
    expect(running).toBeLessThan(64);
  });
});
