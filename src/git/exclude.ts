// Keeping orch's files (the .orch/ audit trail) out of git through info/exclude, never the user's .gitignore.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Repository } from './repo.ts';

/** Append `pattern` to `<commonDir>/info/exclude` unless a line already says exactly that. Returns whether it wrote. */
export async function ensureExcluded(repo: Pick<Repository, 'commonDir'>, pattern: string): Promise<boolean> {
  if (pattern.trim() === '' || /[\r\n]/.test(pattern)) throw new TypeError(`ensureExcluded: bad pattern ${JSON.stringify(pattern)}`);
  const dir = join(repo.commonDir, 'info');
  const file = join(dir, 'exclude');
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  if (existing.split(/\r?\n/).some((line) => line.trim() === pattern.trim())) return false;
  await mkdir(dir, { recursive: true });
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}${pattern}\n`);
  return true;
}
