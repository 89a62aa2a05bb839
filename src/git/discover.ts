// Where git's discovery would stop, found without a git process: the nearest directory at or above `path` that
// holds a `.git` entry. An answer for a quick look (which project's runs to list), to be confirmed by the caller:
// it does not tell a valid repository from a stray `.git`, and knows nothing of safe.directory or ceilings.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function nearestGitTop(path: string): string | undefined {
  let dir: string;
  try {
    dir = realpathSync(path); // git reports the top level with symlinks resolved
  } catch {
    return undefined;
  }
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
