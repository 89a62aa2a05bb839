// Whether bubblewrap can start a sandbox on this machine: found, and a trial sandbox runs. Asked once per process.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type SandboxSupport = { available: true; bwrap: string } | { available: false; reason: string };

function findBwrap(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'bwrap'), constants.X_OK);
      return join(dir, 'bwrap');
    } catch {
      // not here
    }
  }
  return undefined;
}

let cached: SandboxSupport | undefined;

export function sandboxSupport(): SandboxSupport {
  cached ??= probe();
  return cached;
}

function probe(): SandboxSupport {
  if (process.platform !== 'linux') return { available: false, reason: `bubblewrap sandboxes need Linux; this is ${process.platform}` };
  // ORCH_BWRAP names the bubblewrap to use (a build of its own, or a path that is not there to try the fallback).
  const chosen = process.env['ORCH_BWRAP'];
  const bwrap = chosen !== undefined && chosen !== '' ? chosen : findBwrap();
  if (bwrap === undefined) return { available: false, reason: 'bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)' };
  try {
    accessSync(bwrap, constants.X_OK);
  } catch {
    return { available: false, reason: `bwrap is not installed (${bwrap} is not an executable; Debian/Ubuntu: apt-get install bubblewrap)` };
  }
  // The same namespaces a real sandbox asks for: some machines forbid user namespaces (sysctl, a container's seccomp).
  const trial = spawnSync(
    bwrap,
    ['--die-with-parent', '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--', 'true'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (trial.status === 0) return { available: true, bwrap };
  const why = (trial.stderr || trial.error?.message || `exit ${trial.status ?? trial.signal ?? '?'}`).trim().split('\n')[0];
  return { available: false, reason: `bwrap cannot start a sandbox here: ${why}` };
}
