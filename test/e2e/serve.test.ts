// `orch api-key` and `orch serve` as a user runs them: the real CLI as a child process, a real socket.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();

describe('orch serve and orch api-key', () => {
  it('creates a key shown once, serves the API with it, stops on SIGINT, and revokes the key', async () => {
    const repo = await temp.repo();
    const home = await temp.dir();
    const created = await runOrch(['api-key', 'create', '--name', 'ci', '--scope', 'write'], { cwd: repo.root, home });
    expect(created.exitCode).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^orch_[0-9A-Za-z]{40}$/);
    expect(created.stderr).toContain('not shown again');

    const listed = await runOrch(['api-key', 'list', '--json'], { cwd: repo.root, home });
    const keys = JSON.parse(listed.stdout) as { id: string; prefix: string; scopes: string[] }[];
    expect(keys).toMatchObject([{ prefix: key.slice(0, 12), scopes: ['read', 'write'] }]);
    expect(listed.stdout).not.toContain(key);

    const child = spawn(process.execPath, [`${repoRoot}/bin/orch.js`, 'serve', '--port', '0', '--repo', repo.root], {
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`orch serve exited with ${code}`)));
      });
      expect(await (await fetch(`${url}/api/v1/health`)).json()).toMatchObject({ ok: true });
      expect((await fetch(`${url}/api/v1/runs`)).status).toBe(401);
      expect((await fetch(`${url}/api/v1/runs`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      expect((await exited)[0]).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const revoked = await runOrch(['api-key', 'revoke', keys[0]?.id ?? ''], { cwd: repo.root, home });
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain('revoked');
    const bad = await runOrch(['api-key', 'revoke', '../x'], { cwd: repo.root, home });
    expect(bad.exitCode).toBe(2);
  });
});
