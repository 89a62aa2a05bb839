// Some cases need a mount of their own (a small tmpfs that fills, a read-only bind mount): only root with
// CAP_SYS_ADMIN may mount, so those cases are skipped elsewhere, and say so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether this process may mount a tmpfs. */
export function canMount(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'orch-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
