// Codex's own sandbox (read-only agents) runs commands under bubblewrap with `--argv0`, which Debian's bwrap 0.8
// lacks; Codex prefers a bwrap on PATH over the one it ships, and then fails every command ("execvp
// codex-linux-sandbox"). So orch puts the folder of Codex's bundled bwrap first on Codex's PATH.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { arch } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { findAgentProgram } from '../process/orch-programs.ts';

function resourcesUnder(platformPackage: string): string | undefined {
  const vendor = join(platformPackage, 'vendor');
  if (!existsSync(vendor)) return undefined;
  for (const triple of readdirSync(vendor)) {
    const dir = join(vendor, triple, 'codex-resources');
    if (existsSync(join(dir, 'bwrap'))) return dir;
  }
  return undefined;
}

/** The folder holding Codex's bundled bwrap, for the Codex executable `binary` (a name on PATH or a path). */
export function codexBundledBwrapDir(binary: string, pathVariable = process.env['PATH'] ?? ''): string | undefined {
  const found = findAgentProgram(binary, process.cwd(), pathVariable);
  if (found === undefined || process.platform !== 'linux') return undefined;
  let program: string;
  try {
    program = realpathSync(found);
  } catch {
    return undefined;
  }
  // The native binary itself: vendor/<triple>/bin/codex, beside vendor/<triple>/codex-resources.
  const beside = join(dirname(dirname(program)), 'codex-resources');
  if (existsSync(join(beside, 'bwrap'))) return beside;
  // The npm launcher: @openai/codex/bin/codex.js, with @openai/codex-linux-<arch> nested or beside it.
  if (basename(dirname(program)) !== 'bin') return undefined;
  const launcherPackage = dirname(dirname(program));
  const platformName = `codex-linux-${arch() === 'arm64' ? 'arm64' : 'x64'}`;
  for (const candidate of [join(launcherPackage, 'node_modules', '@openai', platformName), join(dirname(launcherPackage), platformName)]) {
    const dir = resourcesUnder(candidate);
    if (dir !== undefined) return dir;
  }
  return undefined;
}

/** PATH for Codex with its bundled bwrap first, or undefined to leave PATH alone. */
export function codexPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  const dir = codexBundledBwrapDir(binary, env['PATH'] ?? '');
  return dir === undefined ? undefined : [dir, env['PATH'] ?? ''].filter(Boolean).join(delimiter);
}
