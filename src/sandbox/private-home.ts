// A private HOME per sandbox, holding only what the agent needs to run and log in: copies of its own config and
// credentials (never the real files: an agent that rewrites its settings changes only its copy).
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Per agent, the files and folders under HOME that hold its login and settings. Git's own config for everyone. */
export const loginPaths: Readonly<Record<string, readonly string[]>> = {
  claude: ['.claude.json', '.claude'],
  codex: ['.codex'],
  gemini: ['.gemini'],
  opencode: ['.config/opencode', '.local/share/opencode/auth.json'],
  aider: ['.aider.conf.yml', '.aider.model.settings.yml', '.aider.model.metadata.json'],
};
const everyone = ['.gitconfig', '.config/git'];

/** Folders of session logs, caches and history: large, and not needed to log in. */
const skipped = new Set(['projects', 'sessions', 'log', 'logs', 'cache', 'tmp', 'shell-snapshots', 'todos', 'statsig', 'history.jsonl', 'node_modules']);
const maxFileBytes = 1024 * 1024;

function copyLoginEntry(from: string, to: string): void {
  let stat;
  try {
    stat = lstatSync(from);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isFile()) {
    if (stat.size > maxFileBytes) return;
    mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
    copyFileSync(from, to);
    return;
  }
  if (!stat.isDirectory()) return;
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from)) {
    if (!skipped.has(name)) copyLoginEntry(join(from, name), join(to, name));
  }
}

/** Copy the agent's login into a fresh private home (once: later invocations keep what the agent changed). */
export function fillPrivateHome(privateHome: string, realHome: string, agent: string | undefined): void {
  const marker = join(privateHome, '.orch-sandbox-home');
  if (existsSync(marker)) return;
  mkdirSync(privateHome, { recursive: true, mode: 0o700 });
  for (const entry of [...everyone, ...(agent === undefined ? [] : (loginPaths[agent] ?? []))]) {
    copyLoginEntry(join(realHome, entry), join(privateHome, entry));
  }
  writeFileSync(marker, '');
}

/** Copy a state directory the agent's environment names outside ORCH_HOME (the user's CODEX_HOME, say). */
export function copyStateDir(from: string, to: string): void {
  if (existsSync(to)) return;
  copyLoginEntry(from, to);
  mkdirSync(to, { recursive: true, mode: 0o700 });
}
