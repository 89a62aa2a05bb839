import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { deleteBranch } from './branch.ts';
import { commitAll } from './commit.ts';
import { compareControlFiles, sharedControlPaths, snapshotControlFiles } from './control-files.ts';
import { ControlFilesGuard } from './control-guard.ts';
import { git } from './exec.ts';
import { openRepository } from './repo.ts';
import { addWorktree, removeWorktree } from './worktree.ts';

const temp = useTempRepos();

/** Every byte, mode and link target of the git control files: what the user's next git command reads. */
function controlBytes(commonDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (path: string) => {
    if (!existsSync(path) && !isLink(path)) return;
    const stat = lstatSync(path);
    const key = relative(commonDir, path);
    if (stat.isSymbolicLink()) out[key] = `link ${readlinkSync(path)}`;
    else if (stat.isDirectory()) {
      out[key] = `dir ${(stat.mode & 0o7777).toString(8)}`;
      for (const name of readdirSync(path)) visit(join(path, name));
    } else out[key] = `${(stat.mode & 0o7777).toString(8)} ${readFileSync(path).toString('base64')}`;
  };
  for (const name of ['config', 'config.worktree', 'hooks', 'info']) visit(join(commonDir, name));
  return out;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

async function setup() {
  const fixture = await temp.repo({ files: { 'README.md': 'hello\n' } });
  const repo = await openRepository(fixture.root);
  await writeFile(join(repo.commonDir, 'hooks', 'pre-push'), '#!/bin/sh\necho the user own hook\n', { mode: 0o755 });
  const start = await fixture.git(['rev-parse', 'HEAD']);
  const worktree = (n: number) => join(fixture.dir, 'home', 'worktrees', `attempt-${n}`);
  const add = async (n: number) => {
    await addWorktree(repo, { path: worktree(n), branch: `orch/r1/a${n}`, startSha: start });
    return worktree(n);
  };
  return { fixture, repo, add, guard: new ControlFilesGuard(repo.commonDir) };
}

describe('ControlFilesGuard', () => {
  it("puts back config, hooks and info byte for byte after an attempt that changed them, and says what changed", async () => {
    const { repo, add, guard } = await setup();
    const before = controlBytes(repo.commonDir);
    const wt = await add(1);
    const told: string[][] = [];
    await guard.begin('a1', wt, (changes) => told.push(changes.map((c) => `${c.path} ${c.change}`)));

    // What an agent with the user's rights does: through git itself, and by hand.
    await git(['config', 'core.hooksPath', '/tmp/evil-hooks'], { cwd: wt });
    await git(['config', 'core.fsmonitor', 'touch /tmp/owned'], { cwd: wt });
    await git(['config', 'core.pager', 'sh -c "touch /tmp/owned"'], { cwd: wt });
    await writeFile(join(repo.commonDir, 'hooks', 'post-checkout'), '#!/bin/sh\ntouch /tmp/owned\n', { mode: 0o755 });
    await writeFile(join(repo.commonDir, 'hooks', 'pre-push'), '#!/bin/sh\ntouch /tmp/owned\n');
    await chmod(join(repo.commonDir, 'hooks', 'pre-commit.sample'), 0o700);
    await mkdir(join(repo.commonDir, 'info', 'sub'));
    await writeFile(join(repo.commonDir, 'info', 'sub', 'attributes'), '* filter=evil\n');
    await rm(join(repo.commonDir, 'info', 'exclude'));
    await symlink('/etc/passwd', join(repo.commonDir, 'info', 'exclude'));
    await writeFile(join(repo.commonDir, 'config.worktree'), '[core]\n\tsshCommand = evil\n');
    expect(controlBytes(repo.commonDir)).not.toEqual(before);

    const changes = await guard.end('a1');
    expect(controlBytes(repo.commonDir)).toEqual(before);
    expect(changes.map((c) => `${c.path} ${c.change}`)).toEqual([
      'config changed',
      'config.worktree added',
      'hooks/post-checkout added',
      'hooks/pre-commit.sample changed',
      'hooks/pre-push changed',
      'info/exclude changed',
      'info/sub added',
      'info/sub/attributes added',
    ]);
    expect(told).toEqual([changes.map((c) => `${c.path} ${c.change}`)]);
    expect(readFileSync(join(repo.commonDir, 'config'), 'utf8')).not.toMatch(/hooksPath|fsmonitor|pager/);
  });

  it("puts back the worktree's own config.worktree and a config the agent replaced with a symlink", async () => {
    const { repo, add, guard } = await setup();
    const before = controlBytes(repo.commonDir);
    const wt = await add(1);
    const ownDir = join(repo.commonDir, 'worktrees', 'attempt-1');
    await guard.begin('a1', wt, () => undefined);
    await writeFile(join(ownDir, 'config.worktree'), '[core]\n\thooksPath = /tmp/evil\n');
    const config = readFileSync(join(repo.commonDir, 'config'));
    await rm(join(repo.commonDir, 'config'));
    await writeFile(join(repo.commonDir, 'elsewhere'), config);
    await symlink(join(repo.commonDir, 'elsewhere'), join(repo.commonDir, 'config'));

    const changes = await guard.end('a1');
    expect(changes.map((c) => `${c.path} ${c.change}`)).toEqual(['config changed', 'worktrees/attempt-1/config.worktree added']);
    expect(existsSync(join(ownDir, 'config.worktree'))).toBe(false);
    expect(controlBytes(repo.commonDir)).toEqual(before);
    expect(lstatSync(join(repo.commonDir, 'config')).isFile()).toBe(true);
  });

  it("finds nothing after orch's own git work: worktree add and remove, commit, branch delete", async () => {
    const { repo, add, guard } = await setup();
    const before = await snapshotControlFiles(sharedControlPaths(repo.commonDir), true);
    const wt = await add(1);
    await guard.begin('a1', wt, () => undefined);
    const second = await add(2);
    await writeFile(join(second, 'new.txt'), 'x\n');
    await commitAll(second, 'work');
    await removeWorktree(repo, second);
    await deleteBranch(repo, 'orch/r1/a2');
    expect(await guard.end('a1')).toEqual([]);
    await removeWorktree(repo, wt);
    expect(compareControlFiles(before, await snapshotControlFiles(sharedControlPaths(repo.commonDir), false), repo.commonDir)).toEqual([]);
  });

  it('blames a change on every attempt running when it is found, and not on one that ended before', async () => {
    const { repo, add, guard } = await setup();
    const before = controlBytes(repo.commonDir);
    const [w1, w2, w3] = [await add(1), await add(2), await add(3)];
    const told = new Map<string, string[]>();
    const listen = (id: string) => (_: unknown, alongside: string[]) => told.set(id, alongside);
    await guard.begin('a1', w1, listen('a1'));
    await guard.begin('a2', w2, listen('a2'));
    expect(await guard.end('a1')).toEqual([]);
    // a1 is over; a2 and a3 run when the hook appears.
    await guard.begin('a3', w3, listen('a3'));
    await writeFile(join(repo.commonDir, 'hooks', 'pre-commit'), '#!/bin/sh\n', { mode: 0o755 });
    expect((await guard.end('a2')).map((c) => c.path)).toEqual(['hooks/pre-commit']);
    expect(controlBytes(repo.commonDir)).toEqual(before);
    expect((await guard.end('a3')).map((c) => c.path)).toEqual(['hooks/pre-commit']);
    expect(told).toEqual(
      new Map([
        ['a2', ['a3']],
        ['a3', ['a2']],
      ]),
    );
  });

  it("takes a new baseline once no attempt runs: the user's own change between runs stays", async () => {
    const { repo, add, guard } = await setup();
    const wt = await add(1);
    await guard.begin('a1', wt, () => undefined);
    await guard.end('a1');
    await git(['config', 'user.name', 'The User'], { cwd: repo.root });
    await guard.begin('a2', wt, () => undefined);
    expect(await guard.end('a2')).toEqual([]);
    expect(await git(['config', 'user.name'], { cwd: repo.root })).toMatchObject({ stdout: 'The User' });
  });
});
