// ORCH_HOME that orch cannot use — under a file, a file itself, on a read-only or a full file system — is refused
// with a message naming ORCH_HOME, exit code 2, the repository untouched and no half-written store. The mounts
// need root with CAP_SYS_ADMIN (tests run as root here; chmod would not stop root): without it those cases skip.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseCounter, expectRefusedWithoutChange, hashFiles, okConfig, useSuiteTemp } from '../helpers/bad-input.ts';
import type { TempRepo } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';

const mount = (args: string[]) => execFileSync('mount', args, { stdio: 'ignore' });
const umount = (dir: string) => execFileSync('umount', [dir], { stdio: 'ignore' });

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, outside a locked-down container). */
function canMount(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'orch-mount-probe-'));
  try {
    mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    umount(dir);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mountable = canMount();
const temp = useSuiteTemp();
const count = caseCounter('environment');
const mounted: string[] = [];
let repo: TempRepo;

beforeAll(async () => {
  repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } });
});

// Registered after useSuiteTemp, so it runs before the temp dirs are removed.
afterAll(() => {
  for (const dir of mounted.splice(0)) umount(dir);
});

async function tmpfs(options: string): Promise<string> {
  const dir = join(await temp.dir(), 'mnt');
  await mkdir(dir);
  mount(['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

/** Write zeros until the file system says it is full. */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
}

const namesOrchHome = /ORCH_HOME \(/;

describe('an ORCH_HOME orch cannot use', () => {
  it('ORCH_HOME under a file (/dev/null/orch; was an internal error, exit 70)', async () => {
    count();
    const result = await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /ORCH_HOME \(\/dev\/null\/orch\) cannot be a directory: a part of that path is a file[\s\S]*Set ORCH_HOME to a writable directory/, root: repo.root, home: '/dev/null/orch' });
    expect(result.stderr).toMatch(namesOrchHome);
  });

  it('ORCH_HOME that is a regular file', async () => {
    count();
    const file = join(await temp.dir(), 'home-file');
    await writeFile(file, 'not a directory\n');
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /ORCH_HOME \(.*home-file\) is a file, not a directory[\s\S]*Set ORCH_HOME/, root: repo.root, home: file });
  });

  it('ORCH_HOME under a file, for a command that only reads (orch runs)', async () => {
    count();
    const file = join(await temp.dir(), 'home-file');
    await writeFile(file, 'not a directory\n');
    await expectRefusedWithoutChange({ args: ['runs', '--json'], message: /ORCH_HOME \(.*home-file\/orch\) cannot be a directory/, root: repo.root, home: join(file, 'orch') });
  });

  it.skipIf(!mountable)(`ORCH_HOME on a read-only file system (a read-only tmpfs${mountable ? '' : ': SKIPPED, mount is not allowed here'})`, async () => {
    count();
    const mnt = await tmpfs('ro,size=1m');
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /ORCH_HOME \(.*mnt\/home\) is not writable: its file system is read-only[\s\S]*Set ORCH_HOME/, root: repo.root, home: join(mnt, 'home') });
  });

  it.skipIf(!mountable)(`a disk too full for a new store (64 KiB tmpfs: SQLITE_FULL${mountable ? '' : '; SKIPPED, mount is not allowed here'}), leaving no half-made database`, async () => {
    count();
    const mnt = await tmpfs('size=64k');
    const home = join(mnt, 'home');
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /The disk holding ORCH_HOME \(.*mnt\/home\) is full: .*\(SQLITE_FULL\)\.\n.*Free some space on that disk/, root: repo.root, home, countRuns: false });
    expect((await readdir(home)).filter((name) => name.startsWith('orch.db'))).toEqual([]);
    // With room again, orch starts from an empty, sound store.
    mount(['-o', 'remount,size=8m', mnt]);
    const runs = await runOrch(['runs', '--json'], { cwd: repo.root, home });
    expect(runs.exitCode, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it.skipIf(!mountable)(`a disk that filled up under an existing store (ENOSPC${mountable ? '' : '; SKIPPED, mount is not allowed here'}): ORCH_HOME byte-identical after`, async () => {
    count();
    const mnt = await tmpfs('size=1m');
    const home = join(mnt, 'home');
    const first = await runOrch(['runs', '--json'], { cwd: repo.root, home });
    expect(first.exitCode, first.stderr).toBe(0);
    fill(join(mnt, 'filler'));
    const homeBefore = hashFiles(home);
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /The disk holding ORCH_HOME \(.*mnt\/home\) is full: no space left .*\(ENOSPC\)\.\n.*Free some space on that disk/, root: repo.root, home, countRuns: false });
    expect(hashFiles(home)).toEqual(homeBefore);
    rmSync(join(mnt, 'filler'));
    const runs = await runOrch(['runs', '--json'], { cwd: repo.root, home });
    expect(runs.exitCode, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });
});
