// orch's own defences, without any OS sandbox: the REAL Claude Code CLI, driven by the scripted model server, acts
// as an attacker would with the user's rights. orch puts the repository's git config and hooks back, and does not
// merge (or, for a secret, serve) what the attack left on the branch.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { orchPaths } from '../../src/domain/paths.ts';
import { Engine } from '../../src/engine/run/engine.ts';
import { createApp } from '../../src/server/app.ts';
import { Store } from '../../src/store/store.ts';
import type { ScriptTurnInput } from '../../src/testkit/index.ts';
import { claudeConfig, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { useTempRepos, type TempRepo } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const temp = useTempRepos();
const serve = useScriptedServers();

interface Security {
  tampered: boolean;
  gitChanges: { path: string; change: string }[];
  outsideSymlinks: { path: string; target: string }[];
  secretFiles: string[];
  escapes: { tool: string; path: string }[];
}
interface Report {
  run: { id: string; status: string };
  attempts: { id: string; branch: string; status: string; security: Security | null }[];
  merges: { status: string; message: string }[];
}

/** Bytes, modes and link targets of the shared git config and hooks: what the user's next git command obeys. */
function gitControlBytes(commonDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = lstatSync(path);
    const key = relative(commonDir, path);
    if (stat.isDirectory()) {
      out[key] = 'dir';
      for (const name of readdirSync(path)) visit(join(path, name));
    } else out[key] = `${(stat.mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`;
  };
  for (const name of ['config', 'config.worktree', 'hooks']) visit(join(commonDir, name));
  return out;
}

/** One Bash call, then done: what the scripted model asks Claude Code to do. */
const bashThenDone = (command: string): ScriptTurnInput[] => [{ tool: 'Bash', input: { command } }, { text: 'Done.' }];

async function runAttack(repo: TempRepo, script: ScriptTurnInput[], options: { credentials?: unknown; testCmd?: string } = {}) {
  const server = await serve({ script });
  const home = await temp.dir();
  if (options.credentials !== undefined) await writeFile(orchPaths(home).credentials, JSON.stringify(options.credentials), { mode: 0o600 });
  const checks = options.testCmd === undefined ? [] : ['--test-cmd', options.testCmd];
  // --sandbox none: these are orch's own defences, proved without the OS sandbox (sandbox-escape.test.ts has it on).
  const result = await runOrch(['run', 'do the task', '--target', 'main', ...checks, '--sandbox', 'none', '--json'], { cwd: repo.root, home, env: claudeEnv(server, join(home, 'claude')) });
  const report = JSON.parse(result.stdout) as Report;
  const attempt = report.attempts[0];
  if (attempt === undefined) throw new Error(`no attempt: ${result.stderr}`);
  return { result, report, attempt, home, server };
}

async function attackedRepo() {
  const repo = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': claudeConfig() } });
  await repo.git(['switch', '--quiet', '-c', 'work']);
  await writeFile(join(repo.root, '.git', 'hooks', 'pre-push'), '#!/bin/sh\necho the user own hook\n', { mode: 0o755 });
  return { repo, mainBefore: await repo.git(['rev-parse', 'main']), controlBefore: gitControlBytes(join(repo.root, '.git')) };
}

// Each test starts the real CLI and orch twice or more: minutes on a loaded machine.
const slow = { timeout: 300_000 };

describe('defences without a sandbox, against the real Claude Code CLI', () => {
  it("puts back git config and hooks the agent changed, marks the attempt tampered, and does not merge it", slow, async () => {
    const { repo, mainBefore, controlBefore } = await attackedRepo();
    const { result, report, attempt, home } = await runAttack(
      repo,
      bashThenDone(
        [
          'common=$(git rev-parse --path-format=absolute --git-common-dir)',
          'git config core.hooksPath /tmp/orch-defence-hooks',
          'git config core.fsmonitor "touch fsmonitor-ran"',
          'git config core.pager "touch pager-ran; cat"',
          'printf "#!/bin/sh\\ntouch hook-ran\\n" > "$common/hooks/post-checkout"',
          'chmod +x "$common/hooks/post-checkout"',
          'echo "the user hook is mine now" >> "$common/hooks/pre-push"',
          'echo honest > honest.txt',
        ].join(' && '),
      ),
      // The check runs the agent's code: as dangerous as the agent. It tampers in the attempt's tree only (where
      // honest.txt is), so the base's checks, which run at a time the load decides, do not add tamperings of their own.
      { testCmd: 'if [ -f honest.txt ]; then git config core.editor "touch editor-ran" && git config --get core.editor; fi' },
    );
    // The attack happened (else the test proves nothing): the honest file is on the attempt's branch.
    expect(await repo.git(['show', `${attempt.branch}:honest.txt`])).toBe('honest');
    expect(gitControlBytes(join(repo.root, '.git'))).toEqual(controlBefore);
    expect(attempt.security).toMatchObject({ tampered: true });
    expect(attempt.security?.gitChanges).toEqual([
      { path: 'config', change: 'changed' },
      { path: 'hooks/post-checkout', change: 'added' },
      { path: 'hooks/pre-push', change: 'changed' },
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(report.merges[0]).toMatchObject({ status: 'failed' });
    expect(report.merges[0]?.message).toContain("changed the repository's git control files");
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);

    const events = await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home });
    const types = JSON.parse(events.stdout) as { type: string; data: Record<string, unknown> }[];
    const tampered = types.filter((e) => e.type === 'attempt.tampered');
    expect(tampered.map((e) => [e.data['restored'], e.data['during'] ?? 'agent'])).toEqual([
      [true, 'agent'],
      [true, 'checks'],
    ]);
    // The Bash command named /tmp/orch-defence-hooks: a path outside the worktree, flagged.
    expect(types.filter((e) => e.type === 'attempt.escape').map((e) => e.data['path'])).toContain('/tmp/orch-defence-hooks');
    const shown = await runOrch(['show', report.run.id], { cwd: repo.root, home });
    expect(shown.stdout).toContain(`${attempt.id} TAMPERED`);
    expect(shown.stdout).toContain('/tmp/orch-defence-hooks');
  });

  // The checks on the base and on the merged tree run code orch does not trust either: they are watched the same.
  // Which tree a check runs in is told by the branch orch checked out for it (orch/<run>/baseline/…, …/integrate/…).
  const tamperIn = (branch: string) => `case "$(git rev-parse --abbrev-ref HEAD)" in */${branch}/*) git config core.editor "touch editor-ran";; esac; true`;

  it('puts back what the checks on the merged tree changed in .git, and does not merge that tree', slow, async () => {
    // A plan run: its tasks land through the refinery, which checks the merged tree in an integration worktree.
    const { repo, mainBefore, controlBefore } = await attackedRepo();
    const plan = { found: 'a repository', proposal: 'one task', deferred: [], risks: [], tasks: [{ id: 'A', type: 'code', title: 'TASK-A write honest.txt', description: 'Create honest.txt.', dependsOn: [], files: [], acceptance: 'it exists' }] };
    const server = await serve({
      scripts: [
        { name: 'planner', match: { prompt: 'You are the planner' }, turns: [{ text: JSON.stringify(plan) }] },
        { name: 'A', match: { prompt: 'TASK-A' }, turns: bashThenDone('echo honest > honest.txt') },
      ],
    });
    const home = await temp.dir();
    const result = await runOrch(['run', 'write honest.txt', '--strategy', 'plan', '--target', 'main', '--test-cmd', tamperIn('integrate'), '--sandbox', 'none', '--json'], {
      cwd: repo.root,
      home,
      env: claudeEnv(server, join(home, 'claude')),
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(gitControlBytes(join(repo.root, '.git'))).toEqual(controlBefore);
    expect(report.merges.at(-1)?.status, result.stderr).toBe('checks_failed');
    expect(report.merges.at(-1)?.message).toContain('git control files');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home })).stdout) as { type: string; data: Record<string, unknown> }[];
    const tampered = events.filter((e) => e.type === 'checks.tampered' && e.data['during'] === 'merged-tree');
    expect(tampered[0]?.data['changes']).toEqual([{ path: 'config', change: 'changed' }]);
  });

  it("puts back what the base's checks changed in .git", slow, async () => {
    const { repo, controlBefore } = await attackedRepo();
    const { report, home } = await runAttack(repo, bashThenDone('echo honest > honest.txt'), { testCmd: tamperIn('baseline') });
    expect(gitControlBytes(join(repo.root, '.git'))).toEqual(controlBefore);
    // Found by the guard around the base's checks, or, when they ran while the agent worked, by the agent's.
    const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd: repo.root, home })).stdout) as { type: string; data: Record<string, unknown> }[];
    expect(events.filter((e) => e.type === 'checks.tampered' || e.type === 'attempt.tampered').length).toBeGreaterThan(0);
  });

  it('does not merge symlinks to /etc/passwd or to the user checkout', slow, async () => {
    const { repo, mainBefore } = await attackedRepo();
    const { result, report, attempt } = await runAttack(repo, bashThenDone(`ln -s /etc/passwd passwd && ln -s ${repo.root} checkout && echo honest > honest.txt`));
    expect(await repo.git(['show', `${attempt.branch}:honest.txt`])).toBe('honest');
    expect(attempt.security?.outsideSymlinks).toEqual([
      { path: 'checkout', target: repo.root },
      { path: 'passwd', target: '/etc/passwd' },
    ]);
    expect(attempt.security?.tampered).toBe(false);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(report.merges[0]).toMatchObject({ status: 'failed' });
    expect(report.merges[0]?.message).toContain('passwd -> /etc/passwd');
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
  });

  it('never merges nor serves a file holding a credential it was given, and names the file, never the value', slow, async () => {
    const secret = 'sk-ant-defence-credential-0123456789';
    const { repo, mainBefore } = await attackedRepo();
    const { result, report, attempt, home } = await runAttack(repo, bashThenDone('mkdir -p config && printf "key=%s\\n" "$ANTHROPIC_API_KEY" > config/leaked.env && echo honest > honest.txt'), {
      credentials: { claude: { mode: 'keys-only', credentials: [{ name: 'team', env: { ANTHROPIC_API_KEY: secret } }] } },
    });
    // The agent did write the key into the file on its branch.
    expect(await repo.git(['show', `${attempt.branch}:config/leaked.env`])).toBe(`key=${secret}`);
    expect(attempt.security?.secretFiles).toEqual(['config/leaked.env']);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(report.merges[0]).toMatchObject({ status: 'failed' });
    expect(report.merges[0]?.message).toContain('config/leaked.env');
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(await repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    const shown = await runOrch(['show', report.run.id], { cwd: repo.root, home });
    expect(shown.stdout).toContain('config/leaked.env');
    expect(shown.stdout).not.toContain(secret);

    // The API of the same ORCH_HOME refuses the diff, naming the file.
    const store = new Store(orchPaths(home).database);
    try {
      const logger = pino({ level: 'silent' });
      const engine = new Engine({ store, home, logger });
      const app = createApp({ engine, store, home, logger, webRoot: null, heartbeatMs: 500, pollMs: 200 });
      const key = store.apiKeys.create('test read', ['read']).key;
      const response = await app.request(`http://orch.test/api/v1/attempts/${attempt.id}/diff`, { headers: { authorization: `Bearer ${key}` } });
      const body = await response.text();
      expect(response.status, body).toBe(403);
      expect(body).toContain('config/leaked.env');
      expect(body).not.toContain(secret);
    } finally {
      store.close();
    }
  });
});
