// The files of a repository that make git run programs or change what it does: the shared `config` (and
// `config.worktree`), `hooks/` and `info/`, plus one worktree's own `config.worktree`. An agent with the user's
// rights can write them (`git config core.fsmonitor …`, a hook) so that the user's next `git status` runs its
// program. A snapshot of them is taken before an attempt; anything different afterwards is put back, byte for byte.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export interface ControlEntry {
  kind: 'file' | 'symlink' | 'dir' | 'other';
  /** Permission bits (files and directories). */
  mode: number;
  /** sha256 of a file's bytes, or a symlink's target. */
  digest: string;
  /** A file's bytes or a symlink's target, kept only in a snapshot taken to restore from. */
  content?: Buffer | string;
}

/** Absolute path → what is there. A path missing from the map does not exist. */
export type ControlSnapshot = Map<string, ControlEntry>;

export interface ControlChange {
  /** Relative to the repository's common git dir, e.g. `config`, `hooks/pre-commit`, `worktrees/x/config.worktree`. */
  path: string;
  change: 'added' | 'changed' | 'removed';
}

/** The shared control files of a repository, under its common git dir. */
export function sharedControlPaths(commonDir: string): { files: string[]; trees: string[] } {
  return { files: [join(commonDir, 'config'), join(commonDir, 'config.worktree')], trees: [join(commonDir, 'hooks'), join(commonDir, 'info')] };
}

/**
 * What is at each path now. `keep` stores the bytes too (the snapshot to restore from); without it only digests
 * are taken, so a huge file an agent dropped into `.git/info` costs no memory. Directories are walked, symlinks
 * never followed.
 */
export async function snapshotControlFiles(paths: { files: readonly string[]; trees: readonly string[] }, keep: boolean): Promise<ControlSnapshot> {
  const snapshot: ControlSnapshot = new Map();
  const visit = async (path: string, walk: boolean): Promise<void> => {
    const stat = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (stat === undefined) return;
    const mode = stat.mode & 0o7777;
    if (stat.isSymbolicLink()) {
      const target = await readlink(path);
      snapshot.set(path, { kind: 'symlink', mode: 0, digest: target, ...(keep ? { content: target } : {}) });
    } else if (stat.isFile()) {
      if (keep) {
        const bytes = await readFile(path);
        snapshot.set(path, { kind: 'file', mode, digest: sha256(bytes), content: bytes });
      } else {
        snapshot.set(path, { kind: 'file', mode, digest: await sha256OfFile(path) });
      }
    } else if (stat.isDirectory()) {
      snapshot.set(path, { kind: 'dir', mode, digest: '' });
      if (walk) for (const name of await readdir(path)) await visit(join(path, name), true);
    } else {
      snapshot.set(path, { kind: 'other', mode, digest: '' });
    }
  };
  for (const file of paths.files) await visit(file, false);
  for (const tree of paths.trees) await visit(tree, true);
  return snapshot;
}

/** What differs between two snapshots, paths relative to `base`, sorted. */
export function compareControlFiles(before: ControlSnapshot, after: ControlSnapshot, base: string): ControlChange[] {
  const changes: ControlChange[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (now === undefined) changes.push({ path: relative(base, path), change: 'removed' });
    else if (now.kind !== was.kind || now.mode !== was.mode || now.digest !== was.digest) changes.push({ path: relative(base, path), change: 'changed' });
  }
  for (const path of after.keys()) if (!before.has(path)) changes.push({ path: relative(base, path), change: 'added' });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Put every path that differs back as `before` has it: added entries are removed, changed and removed ones are
 * written again with their bytes and modes. A file is replaced by rename, never written through (the agent may
 * have left a symlink there pointing anywhere).
 */
export async function restoreControlFiles(before: ControlSnapshot, changes: readonly ControlChange[], base: string): Promise<void> {
  const paths = changes.map((change) => join(base, change.path));
  // Remove deepest first, then recreate shallowest first, so directories exist before what they hold.
  for (const path of [...paths].sort((a, b) => b.length - a.length)) {
    const was = before.get(path);
    if (was === undefined || was.kind !== 'dir') await rm(path, { recursive: true, force: true });
  }
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    const was = before.get(path);
    if (was === undefined) continue;
    if (was.kind === 'dir') {
      const now = await lstat(path).catch(() => undefined);
      if (now !== undefined && !now.isDirectory()) await rm(path, { force: true });
      await mkdir(path, { recursive: true });
      await chmod(path, was.mode);
    } else if (was.kind === 'symlink') {
      await mkdir(dirname(path), { recursive: true });
      await symlink(was.content as string, path);
    } else if (was.kind === 'file') {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.orch-restore-${process.pid}`;
      await writeFile(temp, was.content as Buffer, { mode: was.mode });
      await chmod(temp, was.mode);
      await rename(temp, path);
    }
  }
}

/** The worktree's own git dir (`<common>/worktrees/<name>`), read from its `.git` file; undefined when it has none. */
export async function worktreeGitDir(worktree: string): Promise<string | undefined> {
  const text = await readFile(join(worktree, '.git'), 'utf8').catch(() => undefined);
  const match = text === undefined ? null : /^gitdir: (.+)$/m.exec(text);
  return match?.[1]?.trim();
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
