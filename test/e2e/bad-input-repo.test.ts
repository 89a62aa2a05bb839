// Repository states: the ones orch cannot work in are refused with a clear message, exit code 2 and nothing changed
// (locks left where they were); detached HEAD with --target, shallow clones and submodules work, touching nothing
// beyond the target branch and orch's own branches.
import { execFileSync } from 'node:child_process';
import { chown, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../src/git/exec.ts';
import { caseCounter, createStore, expectOnlyOrchChanges, expectRefusedWithoutChange, expectRunSucceeds, filesOutsideAudit, hashFiles, okConfig, repoState, useSuiteTemp } from '../helpers/bad-input.ts';
import type { TempRepo } from '../helpers/git-fixture.ts';
import { canMount } from '../helpers/mount.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const temp = useSuiteTemp();
const count = caseCounter('repo');
let home: string;

beforeAll(async () => {
  home = join(await temp.dir(), 'home');
  createStore(home);
});

/** Whether this process may mount (root with CAP_SYS_ADMIN): the read-only repository needs a read-only bind mount. */
const mountable = canMount();

const fixtureRepo = () => temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });

/** [name, setup of a fresh fixture repo, argv, expected message]. */
const cases: [string, (repo: TempRepo) => Promise<unknown>, string[], RegExp][] = [
  ['detached HEAD without --target', (r) => r.git(['checkout', '--quiet', '--detach']), ['run', 'goal'], /HEAD is detached[\s\S]*Pass --target <branch>/],
  [
    'a locked index where the target is checked out (.git/index.lock)',
    (r) => writeFile(join(r.root, '.git', 'index.lock'), ''),
    ['run', 'goal'],
    /is locked: .*\.git\/index\.lock exists[\s\S]*if none is running, delete .*index\.lock/,
  ],
  [
    'a locked target ref (refs/heads/main.lock)',
    (r) => writeFile(join(r.root, '.git', 'refs', 'heads', 'main.lock'), ''),
    ['run', 'goal'],
    /target branch 'main' is locked: .*refs\/heads\/main\.lock exists[\s\S]*delete .*main\.lock and run orch again/,
  ],
  ['a .orch that is a file (was an internal error after the run was recorded)', (r) => r.write('.orch', 'my notes\n'), ['run', 'goal'], /\.orch exists but is not a directory[\s\S]*Rename or remove it/],
  ['a .orch that is a dangling symlink', (r) => symlink('nowhere', join(r.root, '.orch')), ['run', 'goal'], /\.orch exists but is not a directory/],
  // orch's branches are orch/<run>/…: a branch named `orch` makes git refuse each of them (was a run failing half-way).
  ['a branch named orch (a loose ref)', (r) => r.git(['branch', 'orch']), ['run', 'goal'], /has a branch named 'orch', so git cannot create orch's own branches \(orch\/<run>\/…\)[\s\S]*git branch -m orch <new-name>/],
  [
    'a branch named orch (in packed-refs)',
    async (r) => {
      await r.git(['branch', 'orch']);
      await r.git(['pack-refs', '--all']);
    },
    ['run', 'goal'],
    /has a branch named 'orch'/,
  ],
];

describe.concurrent('orch refuses repositories it cannot work in, and changes nothing', () => {
  for (const [name, setup, args, message] of cases) {
    it(name, async () => {
      count();
      const repo = await fixtureRepo();
      await setup(repo);
      await expectRefusedWithoutChange({ args, message, root: repo.root, home });
    });
  }

  it('a repository owned by another user (was "is not a git repository")', async () => {
    count();
    const repo = await fixtureRepo();
    // Owned by nobody, run by this user: git's safe.directory check refuses it (root included).
    await chown(repo.root, 65534, 65534);
    const result = await expectRefusedWithoutChange({
      args: ['run', 'goal'],
      message: /git refuses to work in '.*': the repository belongs to another user than the one running orch \(git's safe\.directory check\)/,
      root: repo.root,
      home,
      state: hashFiles,
    });
    expect(result.stderr).toContain(`git config --global --add safe.directory '${repo.root}'`);
    expect(result.stderr).not.toMatch(/not a git repository/);
  });

  for (const [name, part] of [
    ['a line break (was a run with .orch/ not excluded)', 'new\nline'],
    ['a carriage return', 'carriage\rreturn'],
    ['an escape character', 'esc\u001b[31mape'],
  ] as const) {
    it(`a repository path with ${name}`, async () => {
      count();
      const source = await fixtureRepo();
      const root = join(source.dir, part);
      await git(['clone', '--quiet', source.root, root], { cwd: source.dir });
      await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /The repository path ".*" holds (a line break|a control character \(U\+001B\)); git reports paths line by line[\s\S]*Move or rename the directory/, root, home });
    });
  }

  it('a repository reached through a symlink whose real path has a line break', async () => {
    count();
    const source = await fixtureRepo();
    const root = join(source.dir, 'real\npath');
    await git(['clone', '--quiet', source.root, root], { cwd: source.dir });
    await symlink(root, join(source.dir, 'plain'));
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /The repository path ".*real\\npath" holds a line break/, root, cwd: join(source.dir, 'plain'), home });
  });

  it.skipIf(!mountable)(`a read-only repository (a read-only bind mount${mountable ? '' : ': SKIPPED, mount is not allowed here'}; was "unexpected error: EROFS" after the run was recorded)`, async () => {
    count();
    const source = await fixtureRepo();
    const root = join(source.dir, 'ro');
    await mkdir(root);
    execFileSync('mount', ['--bind', source.root, root]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', root]);
      await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /The repository at .*\/ro cannot be written: .*\.git is not writable \(its file system is read-only\)[\s\S]*writable clone/, root, home });
    } finally {
      execFileSync('umount', [root]);
    }
  });

  it('a directory that is not a git repository', async () => {
    count();
    const dir = join(await temp.dir(), 'plain');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine\n');
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /is not a git repository[\s\S]*--repo <path>/, root: dir, home, state: hashFiles });
  });

  it('a repository without commits', async () => {
    count();
    const repo = await temp.repo({ empty: true });
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /has no commits yet[\s\S]*Make a first commit/, root: repo.root, home, state: hashFiles });
  });

  it('a bare repository', async () => {
    count();
    const source = await fixtureRepo();
    const bare = join(source.dir, 'bare.git');
    await git(['clone', '--quiet', '--bare', source.root, bare], { cwd: source.dir });
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /is a bare repository; orch needs a working tree[\s\S]*git clone/, root: bare, home, state: hashFiles });
  });

  it('the inside of a .git directory', async () => {
    count();
    const repo = await fixtureRepo();
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /is inside a \.git directory, not a working tree/, root: repo.root, cwd: join(repo.root, '.git'), home });
  });
});

describe.concurrent('repository states orch works in, touching only the target and its own branches', () => {
  it('detached HEAD with --target main: works, HEAD and the tree stay as they were', async () => {
    count();
    const repo = await fixtureRepo();
    await repo.git(['checkout', '--quiet', '--detach']);
    const before = await repoState(repo.root);
    await expectRunSucceeds(['run', 'add x.txt', '--target', 'main'], { cwd: repo.root, home: join(repo.dir, 'home') });
    const after = await repoState(repo.root);
    expect(after.tree.head).toBe(before.tree.head); // still detached, at the same commit
    expect({ ...after.tree, files: filesOutsideAudit(after.tree) }).toEqual(before.tree);
    expect(await repo.git(['show', 'main:x.txt'])).toBe('x');
    expect(await repo.git(['rev-parse', 'main~1'])).toBe(before.tree.headSha);
    expectOnlyOrchChanges(before, after, 'main');
  });

  it('a shallow clone: works, fast-forwards the clean checkout, stays shallow', async () => {
    count();
    const source = await fixtureRepo();
    await source.commit('two', { 'two.txt': '2\n' });
    await source.commit('three', { 'three.txt': '3\n' });
    const root = join(source.dir, 'shallow');
    await git(['clone', '--quiet', '--depth', '1', `file://${source.root}`, root], { cwd: source.dir });
    const shallowFile = await readFile(join(root, '.git', 'shallow'), 'utf8');
    const before = await repoState(root);
    await expectRunSucceeds(['run', 'add x.txt'], { cwd: root, home: join(source.dir, 'home') });
    const after = await repoState(root);
    expect(await readFile(join(root, '.git', 'shallow'), 'utf8')).toBe(shallowFile);
    expect((await git(['rev-parse', '--is-shallow-repository'], { cwd: root })).stdout).toBe('true');
    expect((await git(['rev-parse', 'main~1'], { cwd: root })).stdout).toBe(before.tree.headSha);
    const { 'x.txt': added, ...rest } = filesOutsideAudit(after.tree);
    expect(added).toBeDefined();
    expect(rest).toEqual(before.tree.files);
    expect(after.tree.status).toBe('');
    expectOnlyOrchChanges(before, after, 'main');
  });

  it('a repository with a submodule: works, the submodule untouched', async () => {
    count();
    const sub = await temp.repo({ files: { 's.txt': 'submodule\n' } });
    const repo = await fixtureRepo();
    await repo.git(['-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.root, 'sub']);
    await repo.git(['commit', '--quiet', '-m', 'add submodule']);
    const subBefore = await repoState(sub.root);
    const before = await repoState(repo.root);
    const gitlink = await repo.git(['ls-tree', 'HEAD', 'sub']);
    const modules = hashFiles(join(repo.root, '.git', 'modules'));
    const checkedOutSub = await repo.git(['rev-parse', 'HEAD'], join(repo.root, 'sub'));
    await expectRunSucceeds(['run', 'add x.txt'], { cwd: repo.root, home: join(repo.dir, 'home') });
    const after = await repoState(repo.root);
    expect(await repo.git(['ls-tree', 'main', 'sub'])).toBe(gitlink);
    expect(await repo.git(['show', 'main:x.txt'])).toBe('x');
    expect(await repo.git(['rev-parse', 'HEAD'], join(repo.root, 'sub'))).toBe(checkedOutSub);
    expect(hashFiles(join(repo.root, '.git', 'modules'))).toEqual(modules);
    const { 'x.txt': added, ...rest } = filesOutsideAudit(after.tree);
    expect(added).toBeDefined();
    expect(rest).toEqual(before.tree.files); // sub/ and .gitmodules included
    expect(await repoState(sub.root)).toEqual(subBefore);
    expectOnlyOrchChanges(before, after, 'main');
  });
});

describe('after every case', () => {
  it('orch runs --json lists no run', async () => {
    const runs = await runOrch(['runs', '--json', '--all'], { cwd: await temp.dir(), home });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
