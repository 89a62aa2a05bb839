// ORCH_HOME that orch cannot use — under a file, a file itself, on a read-only or a full file system — is refused
// with a message naming ORCH_HOME, exit code 2, the repository untouched and no half-written store. The mounts
// need root with CAP_SYS_ADMIN (tests run as root here; chmod would not stop root): without it those cases skip.
// So are a damaged database, one from a newer orch, an unknown ORCH_LOG_LEVEL and a relative ORCH_HOME (ORCH_HOME
// byte-identical after); stdout that cannot be written ends in one line on stderr, or quietly for a closed pipe.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseCounter, expectRefusedWithoutChange, hashFiles, okConfig, useSuiteTemp } from '../helpers/bad-input.ts';
import Database from 'better-sqlite3';
import type { TempRepo } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';

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

/** A store under a fresh ORCH_HOME with one finished run, as `orch run` leaves it. */
async function homeWithRun(): Promise<string> {
  const home = join(await temp.dir(), 'home');
  const result = await runOrch(['run', 'add x.txt', '--json'], { cwd: (await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': okConfig } })).root, home });
  expect(result.exitCode, result.stderr).toBe(0);
  const db = new Database(join(home, 'orch.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return home;
}

describe('a database orch cannot use, and settings it cannot read', () => {
  it('a database file that is not a database (was "unexpected error: file is not a database", exit 70)', async () => {
    count();
    const home = join(await temp.dir(), 'home');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'orch.db'), randomBytes(8192));
    const before = hashFiles(home);
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /The orch database .*orch\.db is damaged: file is not a database \(SQLITE_NOTADB\)\.\n {2}Move it aside \(mv /, root: repo.root, home, countRuns: false });
    expect(hashFiles(home)).toEqual(before);
  });

  it('a database whose pages are damaged (SQLITE_CORRUPT), for a command that only reads', async () => {
    count();
    const home = await homeWithRun();
    const file = join(home, 'orch.db');
    const fd = openSync(file, 'r+');
    for (let offset = 4096; offset < statSync(file).size; offset += 4096) writeSync(fd, randomBytes(4096), 0, 4096, offset);
    closeSync(fd);
    const before = hashFiles(home);
    await expectRefusedWithoutChange({ args: ['runs', '--json'], message: /orch\.db is damaged: database disk image is malformed \(SQLITE_CORRUPT\)[\s\S]*\.recover/, root: repo.root, home, countRuns: false });
    expect(hashFiles(home)).toEqual(before);
  });

  it('a database from a newer orch (schema version past what this orch knows)', async () => {
    count();
    const home = await homeWithRun();
    const db = new Database(join(home, 'orch.db'));
    db.pragma('user_version = 999');
    db.close();
    const before = hashFiles(home);
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /orch\.db was written by a newer orch \(schema version 999; this orch knows up to \d+\)\.\n {2}Use the newer orch/, root: repo.root, home, countRuns: false });
    expect(hashFiles(home)).toEqual(before);
  });

  it('an unknown ORCH_LOG_LEVEL (was "unexpected error: default level:loud must be included in custom levels")', async () => {
    count();
    const home = join(await temp.dir(), 'home');
    await expectRefusedWithoutChange({ args: ['run', 'goal'], env: { ORCH_LOG_LEVEL: 'loud' }, message: /ORCH_LOG_LEVEL is 'loud', which is not a log level\.\n {2}Use one of fatal, error, warn, info, debug, trace, silent/, root: repo.root, home, countRuns: false });
    expect(existsSync(home)).toBe(false);
  });

  it('a relative ORCH_HOME is refused (was a database made inside the repository)', async () => {
    count();
    await expectRefusedWithoutChange({ args: ['run', 'goal'], message: /ORCH_HOME must be an absolute path, not 'orch-home'[\s\S]*export ORCH_HOME=".*\/orch-home"/, root: repo.root, home: 'orch-home', countRuns: false });
    expect(existsSync(join(repo.root, 'orch-home'))).toBe(false);
  });

  it("an ORCH_HOME with a quoted '~' says the shell did not expand it", async () => {
    count();
    await expectRefusedWithoutChange({ args: ['runs'], message: /ORCH_HOME must be an absolute path, not '~\/orch'[\s\S]*export ORCH_HOME="\$HOME\/orch"/, root: repo.root, home: '~/orch', countRuns: false });
    expect(existsSync(join(repo.root, '~'))).toBe(false);
  });
});

/** orch with its stdout as given: a file descriptor, or a pipe whose reader is gone before orch writes (EPIPE). */
function withStdout(args: string[], stdout: number | 'closed-pipe', home: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/orch.js'), ...args], {
    cwd: repo.root,
    env: { ...process.env, ORCH_HOME: home },
    stdio: ['ignore', stdout === 'closed-pipe' ? 'pipe' : stdout, 'pipe'],
  });
  child.stdout?.destroy();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stderr }));
  });
}

describe('stdout that cannot be written (was an uncaught stream error with a stack trace)', () => {
  it('a reader that went away (EPIPE): orch ends quietly, as git does (141)', async () => {
    count();
    const home = await homeWithRun();
    const result = await withStdout(['runs', '--json', '--all'], 'closed-pipe', home);
    expect(result.stderr).toBe('');
    expect([0, 141]).toContain(result.code);
  });

  for (const [name, open, message] of [
    ['stdout open only for reading (EBADF)', (path: string) => openSync(path, 'r'), /cannot write to stdout \(EBADF\): it is closed or open only for reading/],
    ['stdout on a full disk (/dev/full: ENOSPC)', () => openSync('/dev/full', 'w'), /cannot write to stdout \(ENOSPC\): the disk it writes to is full/],
  ] as const) {
    it(name, async () => {
      count();
      const home = await homeWithRun();
      const file = join(await temp.dir(), 'out');
      await writeFile(file, '');
      const fd = open(file);
      try {
        const result = await withStdout(['runs', '--json', '--all'], fd, home);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toMatch(/Send orch's output to a terminal, a pipe or a file/);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.code).toBe(2);
      } finally {
        closeSync(fd);
      }
    });
  }
});
