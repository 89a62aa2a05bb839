// orch's own defences around an attempt, which hold with or without an OS sandbox: the repository's git control
// files are watched and put back (git/control-guard.ts: by the executor while the agent works, here around the
// checks), and the finished change is searched for symlinks out of
// the tree and for secrets orch knows. What is found goes into events, onto the attempt (`security`), and keeps
// the attempt from being merged unreviewed (a secret: from being merged or served at all).
import { makeRedactor, secretValues } from '../../agents/redact.ts';
import type { Attempt, AttemptSecurity } from '../../domain/records.ts';
import type { ToolEscape } from '../../executor/tool-escape.ts';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { filesWithSecrets, outsideSymlinks } from '../../git/change-scan.ts';
import { changedPaths, untrackedSetupFiles } from '../../git/index.ts';
import { controlFilesGuard, type ControlChange } from '../../git/control-guard.ts';
import type { Store } from '../../store/store.ts';
import type { CredentialPools } from '../core/credential-pools.ts';
import type { AttemptScope, RunScope } from '../core/deps.ts';

/** Escapes kept on the attempt record; the events hold every one. */
const maxEscapesKept = 50;

/**
 * Run the attempt's checks (they execute the agent's code, so they are as dangerous as the agent) with the git
 * control files watched; what they changed is put back, and the attempt is marked tampered.
 */
export async function withGitControlGuarded<T>(scope: AttemptScope, attempt: Attempt, cwd: string, work: () => Promise<T>): Promise<T> {
  const { store } = scope.deps;
  const guard = controlFilesGuard(scope.repo.commonDir);
  const id = `${attempt.id}/checks`;
  await guard.begin(id, cwd, (changes, alongside) => {
    store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.tampered', data: { changes, restored: true, alongside, during: 'checks' } });
  });
  try {
    return await work();
  } finally {
    const changes = await guard.end(id);
    if (changes.length > 0) {
      const security = store.attempts.get(attempt.id).security ?? { tampered: false, gitChanges: [], outsideSymlinks: [], secretFiles: [], escapes: [] };
      const gitChanges = dedupe([...security.gitChanges, ...changes], (c) => `${c.path}\0${c.change}`);
      store.attempts.updateSecurity(attempt.id, { ...security, tampered: true, gitChanges });
    }
  }
}

/** The text with every secret orch knows replaced: what may go to a reviewing model. */
export function withoutSecrets(scope: AttemptScope, text: string): string {
  return makeRedactor(knownSecrets({ ...process.env, ...scope.agentEnv }, scope.deps.credentials))(text);
}

/** Every secret value orch knows for this run: its environment's and the agent's keys, and every credential's. */
export function knownSecrets(env: Record<string, string | undefined>, credentials: CredentialPools): string[] {
  const fromFile = Object.values(credentials.file).flatMap((entry) => entry.credentials.flatMap((credential) => secretValues(credential.env)));
  return [...new Set([...secretValues(env), ...fromFile])];
}

/** Look at what the attempt changed (base to head), and put it together with what the guard found. */
export async function examineAttempt(scope: AttemptScope, attempt: Attempt, headSha: string, gitChanges: ControlChange[]): Promise<AttemptSecurity> {
  const { store } = scope.deps;
  const setupSecrets = setupFileSecrets(scope.repo.root, scope.settings.copyFiles);
  const [symlinks, withSecrets, setupFiles] = await Promise.all([
    outsideSymlinks(scope.repo, attempt.baseSha, headSha),
    filesWithSecrets(scope.repo, attempt.baseSha, headSha, [...knownSecrets({ ...process.env, ...scope.agentEnv }, scope.deps.credentials), ...setupSecrets]),
    committedSetupFiles(scope.repo, attempt.baseSha, headSha, scope.settings.copyFiles),
  ]);
  // A setup file orch copied (.env) that the agent committed anyway counts as a secret: never merged, never shown.
  const secretFiles = [...new Set([...setupFiles, ...withSecrets])];
  for (const link of symlinks) store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.outside_symlink', data: { ...link } });
  // The file, never the value.
  if (secretFiles.length > 0) store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.secret', data: { files: secretFiles } });
  return {
    tampered: gitChanges.length > 0,
    gitChanges: dedupe(gitChanges, (c) => `${c.path}\0${c.change}`),
    outsideSymlinks: symlinks,
    secretFiles,
    escapes: escapesOf(store, scope.runId, attempt.id).slice(0, maxEscapesKept),
  };
}

/** The secret-looking values of the checkout's setup files (KEY=value lines of `.env`), which the change must not carry. */
function setupFileSecrets(root: string, paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    try {
      const file = join(root, path);
      if (!statSync(file).isFile()) return [];
      return secretValues(parseEnv(readFileSync(file, 'utf8')));
    } catch {
      return []; // missing or unreadable: nothing was copied from it
    }
  });
}

/** The setup paths the base did not track that the change adds (the agent forced them into a commit). */
async function committedSetupFiles(repo: RunScope['repo'], baseSha: string, headSha: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const untracked = await untrackedSetupFiles(repo, baseSha, paths);
  const changes = await changedPaths(repo, baseSha, headSha);
  return changes.filter((change) => change.kind !== 'deleted' && untracked.some((path) => change.path === path || change.path.startsWith(`${path}/`))).map((change) => change.path);
}

/** Why orch must not merge this attempt by itself, in a sentence for the user; null when nothing stands in the way. */
export function securityRefusal(attempt: Attempt): string | null {
  const security = attempt.security;
  if (security === null) return null;
  if (security.secretFiles.length > 0) {
    return `The attempt's change puts a secret orch knows (a credential or an agent's key) into ${security.secretFiles.join(', ')}, so orch will not merge it and will not show its diff. Delete the branch (git branch -D ${attempt.branch}) and rotate the key if it left this machine.`;
  }
  const reasons: string[] = [];
  if (security.tampered) reasons.push(`changed the repository's git control files (${security.gitChanges.map((c) => c.path).join(', ')}; orch put them back)`);
  if (security.outsideSymlinks.length > 0) reasons.push(`adds symlinks out of the tree (${security.outsideSymlinks.map((l) => `${l.path} -> ${l.target}`).join(', ')})`);
  if (reasons.length === 0) return null;
  return `The attempt ${reasons.join(' and ')}, so orch did not merge it. Review the change, then merge it yourself: git merge ${attempt.branch}`;
}

function escapesOf(store: Store, runId: string, attemptId: string): ToolEscape[] {
  const found: ToolEscape[] = [];
  for (let seq = 0; ; ) {
    const page = store.events.since(runId, seq, 1000);
    if (page.length === 0) break;
    for (const event of page) {
      if (event.type === 'attempt.escape' && event.attemptId === attemptId) found.push(event.data as unknown as ToolEscape);
    }
    seq = page.at(-1)?.seq ?? seq;
  }
  return dedupe(found, (e) => `${e.tool}\0${e.path}`);
}

function dedupe<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}
