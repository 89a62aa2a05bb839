// Attempts: the record, the change it made, the agent's output.
import { existsSync, readFileSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { knownSecrets } from '../engine/attempt/attempt-security.ts';
import { filesWithSecrets } from '../git/change-scan.ts';
import { diffStat, diffText, openRepository } from '../git/index.ts';
import { HttpError } from './errors.ts';
import { defineRoute, type AnyRoute, type ServerDeps } from './route.ts';
import { logsQuerySchema, responses } from './schemas.ts';

const maxDiffChars = 2 * 1024 * 1024;

interface LogLine {
  t: number;
  s: 'stdout' | 'stderr';
  line: string;
}

function parseLogLine(raw: string): LogLine {
  try {
    return JSON.parse(raw) as LogLine;
  } catch {
    return { t: 0, s: 'stdout', line: raw };
  }
}

export function attemptRoutes(deps: ServerDeps): AnyRoute[] {
  const { store, paths } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/attempts/:id',
      scope: 'read',
      summary: 'An attempt and its verdicts.',
      idKind: 'att',
      status: 200,
      response: responses.attempt,
      handle: ({ id }) => {
        const attempt = store.attempts.get(id);
        return { attempt, verdicts: store.judgements.verdictsByRun(attempt.runId).filter((v) => v.attemptId === id) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/attempts/:id/diff',
      scope: 'read',
      summary: "What an attempt changed: the patch (cut at 2 MiB) and per-file line counts, from its base to its head.",
      idKind: 'att',
      status: 200,
      response: responses.diff,
      handle: async ({ id }) => {
        const attempt = store.attempts.get(id);
        const base = { attemptId: id, baseSha: attempt.baseSha, headSha: attempt.headSha };
        if (attempt.headSha === null) return { ...base, text: '', truncated: false, stat: null };
        const repo = await openRepository(store.runs.get(attempt.runId).projectPath);
        // A diff holding a secret is never served: the files are named, never the value. Found when the attempt
        // ended, or now (a credential added since, an attempt from before orch looked).
        const secrets = knownSecrets(process.env, deps.engine.credentialPools());
        const [patch, stat, holding] = await Promise.all([
          diffText(repo, attempt.baseSha, attempt.headSha, { maxChars: maxDiffChars }),
          diffStat(repo, attempt.baseSha, attempt.headSha),
          filesWithSecrets(repo, attempt.baseSha, attempt.headSha, secrets),
        ]);
        const files = [...new Set([...(attempt.security?.secretFiles ?? []), ...holding])];
        if (files.length > 0 || secrets.some((secret) => patch.text.includes(secret))) {
          throw new HttpError(403, 'secret_in_diff', `The attempt's change puts a secret orch knows into ${files.length > 0 ? files.join(', ') : 'its diff'}; orch does not serve it.`, {
            hint: `Delete the branch (git branch -D ${attempt.branch}) and rotate the key if it left this machine.`,
          });
        }
        return { ...base, text: patch.text, truncated: patch.truncated, stat };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/attempts/:id/logs',
      scope: 'read',
      summary: "The agent's output lines after `after`, and the offset to ask for next.",
      idKind: 'att',
      query: logsQuerySchema,
      status: 200,
      response: responses.logs,
      handle: ({ id, query }) => {
        const attempt = store.attempts.get(id);
        const done = !['queued', 'running'].includes(attempt.status);
        // The path comes from the database, never from the request; still, read only inside orch's logs.
        const inside = relative(paths.logsRoot, attempt.logPath);
        if (inside.startsWith('..') || isAbsolute(inside)) throw new HttpError(404, 'not_found', `No logs for attempt '${id}'.`);
        const text = existsSync(attempt.logPath) ? readFileSync(attempt.logPath, 'utf8') : '';
        // Only complete lines: the last one may still be being written.
        const complete = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
        complete.pop();
        const lines = complete.slice(query.after, query.after + query.limit).map(parseLogLine);
        return { lines, next: query.after + lines.length, done: done && query.after + lines.length >= complete.length };
      },
    }),
  ];
}
