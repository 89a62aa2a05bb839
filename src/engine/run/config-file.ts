// Reading orch.config.json (JSON with comments) and turning zod's complaints into a message a person can act on.
import { join, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { configSchema, type OrchConfig } from '../../domain/config.ts';
import { ConfigError } from '../../domain/errors.ts';
import { findImpossibleText } from '../../domain/text-checks.ts';
import { assertShallow, readConfigText } from './config-limits.ts';
import { withKeySuggestions } from './config-suggest.ts';

export const configFileName = 'orch.config.json';

export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `  - ${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('\n');
}

const lineOf = (text: string, offset: number): string => {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
};

/** Parse and validate config text; `source` names the file in errors. */
export function parseConfig(text: string, source: string): OrchConfig {
  const errors: ParseError[] = [];
  // Editors on Windows may start the file with a byte order mark; JSON parsers may ignore it, and so does orch.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  assertShallow(body, source);
  const raw: unknown = parseJsonc(body, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    const where = first ? ` at line ${lineOf(body, first.offset)}: ${printParseErrorCode(first.error)}` : '';
    throw new ConfigError(`${source} is not valid JSON${where}.`, { hint: 'Fix the file, or run `orch init --force` to write a fresh one.' });
  }
  const impossible = findImpossibleText(raw);
  if (impossible !== undefined) {
    throw new ConfigError(`${source} is invalid:\n  - ${impossible.path.join('.') || '(top level)'}: holds ${impossible.problem}, which no command, path or file can carry`, {
      hint: 'Remove it (a \\u0000 escape is a NUL byte), then run orch again.',
    });
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const suggestions = withKeySuggestions(configSchema, parsed.error.issues);
    throw new ConfigError(`${source} is invalid:\n${[formatZodIssues(parsed.error.issues), ...suggestions].join('\n')}`, {
      hint: 'See the configuration reference in the README.',
    });
  }
  return parsed.data;
}

/** The config of a repository: `configPath` if given, else <repo>/orch.config.json if present, else defaults. */
export function loadConfig(repoRoot: string, configPath?: string): OrchConfig {
  const path = configPath ?? join(repoRoot, configFileName);
  const fix = configPath === undefined ? `Remove or rename ${resolve(path)}` : 'Pass the path of a config file to --config, or leave --config out';
  const text = readConfigText(path, { fix, optional: configPath === undefined });
  if (text === undefined) return configSchema.parse({});
  return parseConfig(text, path);
}

/** The config a run was started with: its --config file, or the repository's own. */
export function loadRunConfig(repoRoot: string, runId: string, configPath: string | null): OrchConfig {
  if (configPath === null) return loadConfig(repoRoot);
  try {
    return loadConfig(repoRoot, configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`Run ${runId} was started with --config ${configPath}, and a resume reads it again: ${error.message}`, {
      cause: error,
      hint: 'Put the config file back where it was (or fix it), then resume again.',
    });
  }
}
