// An eval suite: tasks with a goal, a repository and base to start from, and a hidden check that decides whether
// the task was done (a command, plus optionally a test patch applied only when judging, never seen by the agent).
// A JSONC file, checked here; paths in it are relative to the file.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { ConfigError } from '../domain/errors.ts';
import { formatZodIssues } from '../engine/run/config-file.ts';

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'letters, digits, dot, dash and underscore; at most 64');
const commandSchema = z.union([
  z.string().refine((s) => s.trim().length > 0, 'an empty command checks nothing'),
  z.array(z.string().min(1)).min(1),
]);

export const hiddenCheckSchema = z
  .object({
    command: commandSchema.describe('run in a checkout of the result; exit 0 means the task is done'),
    patch: z.string().min(1).optional().describe('a patch (git diff) applied to that checkout first, e.g. the tests of the real fix'),
    timeoutSeconds: z.number().positive().default(600),
    network: z.boolean().default(false).describe('let the check reach the network (default: none, like orch\'s checks)'),
  })
  .strict();

export const evalTaskSchema = z
  .object({
    id: idSchema,
    repo: z.string().min(1).describe('a repository: a path (relative to the suite), a git bundle, or a URL (cloned into a cache under ORCH_HOME)'),
    base: z.string().min(1).describe('the ref or commit the agents start from'),
    goal: z.string().refine((s) => s.trim().length > 0, 'the goal is empty'),
    hidden: hiddenCheckSchema,
    testCmd: z.string().min(1).optional().describe("the check orch itself runs (default: the project's own, as orch run finds it)"),
    script: z.string().min(1).optional().describe('a SCRIPTED model: a JSON file of scripts for the scripted Anthropic server (offline demos, tests)'),
  })
  .strict();

export const suiteSchema = z
  .object({
    name: idSchema,
    description: z.string().optional(),
    config: z.record(z.string(), z.unknown()).optional().describe("an orch config used for every run instead of the repository's own"),
    tasks: z.array(evalTaskSchema).min(1),
  })
  .strict()
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    for (const [index, task] of suite.tasks.entries()) {
      if (seen.has(task.id)) ctx.addIssue({ code: 'custom', path: ['tasks', index, 'id'], message: `the task id '${task.id}' is used twice` });
      seen.add(task.id);
    }
  });

export type EvalTask = z.infer<typeof evalTaskSchema>;
export type HiddenCheck = z.infer<typeof hiddenCheckSchema>;

export interface Suite extends z.infer<typeof suiteSchema> {
  /** The suite file, absolute; paths in it are relative to its folder. */
  path: string;
  dir: string;
}

/** A repository named by URL (cloned into the cache) rather than a path on this machine. */
export function isRepoUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\s]+@[^/\s]+:/.test(repo);
}

export function suitePath(suite: Suite, path: string): string {
  return isAbsolute(path) ? path : resolve(suite.dir, path);
}

export function loadSuite(file: string): Suite {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the suite ${path}: ${(error as Error).message}`, { hint: 'Give the path of a suite file (see examples/eval/suite.jsonc).' });
  }
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    throw new ConfigError(`The suite ${path} is not valid JSON(C): ${first ? `${printParseErrorCode(first.error)} at offset ${first.offset}` : 'unreadable'}.`);
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`The suite ${path} is invalid:\n${formatZodIssues(parsed.error.issues)}`, { hint: 'See the README section "Measuring orch on your own tasks: orch eval".' });
  }
  return { ...parsed.data, path, dir: dirname(path) };
}
