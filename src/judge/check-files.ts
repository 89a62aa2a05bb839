// Which files define a project's checks: its tests (by the conventions of the common ecosystems), the config
// of the tools the check commands run, the scripts they name, and the globs the user adds (`checks.protect`).
// An attempt that changes one of them is judged twice (held-out checks) and never merged unreviewed: an agent
// that cannot make the code pass could otherwise make the tests pass.
import { basename, matchesGlob } from 'node:path';
import type { CheckCommand } from '../domain/config.ts';

export type CheckFileKind = 'test' | 'config';

const testDirectories = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'testdata', '__snapshots__', 'fixtures', 'e2e']);

const testNames = [
  /\.(test|spec)\.[^/]+$/, // *.test.*, *.spec.* (JS/TS, and others that follow the habit)
  /^test\.[^/]+$/, // files named test.*
  /^test_.*\.py$/, // pytest
  /_test\.py$/,
  /_test\.go$/, // go test
  /_spec\.rb$/, // RSpec
  /_test\.rb$/, // minitest
  /_test\.(exs|rs|c|cc|cpp|dart|kt)$/,
  /Tests?\.(java|kt|cs|scala|swift)$/, // JUnit, xUnit, XCTest
  /^Test.*\.(java|kt)$/,
];

// Tool config that decides what a test or lint run checks, wherever the check command comes from.
const configNames = [
  /^conftest\.py$/,
  /^pytest\.ini$/,
  /^tox\.ini$/,
  /^noxfile\.py$/,
  /^\.coveragerc$/,
  /^(vitest|vite|jest|playwright|cypress|karma|ava|wdio)\.(config|conf|setup|workspace)\.[^/]+$/,
  /^jest\.[^/]+\.[cm]?[jt]s$/,
  /^\.mocharc(\.[^/]+)?$/,
  /^\.nycrc(\.[^/]+)?$/,
  /^eslint\.config\.[^/]+$/,
  /^\.eslintrc(\.[^/]+)?$/,
  /^\.eslintignore$/,
  /^biome\.jsonc?$/,
  /^\.?ruff\.toml$/,
  /^\.flake8$/,
  /^\.pylintrc$/,
  /^mypy\.ini$/,
  /^\.golangci\.[^/]+$/,
  /^phpunit\.xml(\.dist)?$/,
  /^\.rspec$/,
  /^clippy\.toml$/,
];

// Project files that hold the check itself only when a check command goes through that tool: package.json's
// scripts for npm, pyproject's pytest section for pytest, a Makefile's target for make.
const toolFiles: { tools: RegExp; names: RegExp }[] = [
  { tools: /^(npm|npx|yarn|pnpm|bun|node)$/, names: /^package\.json$/ },
  { tools: /^(pytest|python3?|tox|nox|ruff|flake8|mypy|uv|poetry|hatch)$/, names: /^(pyproject\.toml|setup\.cfg)$/ },
  { tools: /^(make|gmake)$/, names: /^(GNUmakefile|makefile|Makefile)$/ },
  { tools: /^cargo$/, names: /^Cargo\.toml$/ },
  { tools: /^(just)$/, names: /^[Jj]ustfile$/ },
];

function commandWords(command: CheckCommand): string[] {
  return typeof command === 'string' ? command.split(/[\s;&|()]+/).filter(Boolean) : [...command];
}

const scriptFile = /^(\.\/)?[\w.@+-]+(\/[\w.@+-]+)*\.(sh|bash|mjs|cjs|js|ts|py|rb|pl)$/;
const interpreters = /^(node|nodejs|python3?|bash|sh|zsh|ruby|perl|deno|bun|tsx|ts-node)$/;

/**
 * Relative paths of scripts a command runs (`./run-tests.sh`, `node scripts/check.mjs`): the program of each part
 * of the command, or the first argument of an interpreter. A file a check merely reads (`grep hello src/a.js`) is
 * the work being checked, not the check.
 */
function scriptsNamed(command: CheckCommand): string[] {
  const segments = typeof command === 'string' ? command.split(/[;&|()]+/).map((part) => part.split(/\s+/).filter(Boolean)) : [[...command]];
  const scripts: string[] = [];
  for (const words of segments) {
    const [program, ...args] = words;
    if (program === undefined) continue;
    if (scriptFile.test(program) || /^\.\/[\w./@+-]+$/.test(program)) scripts.push(program);
    else if (interpreters.test(basename(program))) {
      const script = args.find((arg) => !arg.startsWith('-'));
      if (script !== undefined && scriptFile.test(script)) scripts.push(script);
    }
  }
  return scripts.map((word) => word.replace(/^\.\//, ''));
}

export interface CheckFileRules {
  /** The check commands (test, lint). */
  commands: readonly CheckCommand[];
  /** Globs from config, relative to the repository root. */
  protect: readonly string[];
}

export function checkFileKind(path: string, rules: CheckFileRules): CheckFileKind | undefined {
  const name = basename(path);
  const directories = path.split('/').slice(0, -1);
  if (rules.protect.some((glob) => matchesGlob(path, glob))) return 'config';
  const words = rules.commands.flatMap(commandWords);
  if (rules.commands.flatMap(scriptsNamed).includes(path)) return 'config';
  if (configNames.some((pattern) => pattern.test(name))) return 'config';
  const programs = words.map((word) => basename(word));
  if (toolFiles.some((tool) => tool.names.test(name) && programs.some((program) => tool.tools.test(program)))) return 'config';
  if (directories.some((dir) => testDirectories.has(dir)) || testNames.some((pattern) => pattern.test(name))) return 'test';
  return undefined;
}

export interface CheckFileChanges {
  /** Changed files that define the checks: modified or deleted tests, any change to check config. */
  protectedFiles: string[];
  /** Test files the attempt added: they stay when the checks are held out. */
  addedTests: string[];
}

export function classifyChanges(changes: readonly { path: string; kind: 'added' | 'modified' | 'deleted' }[], rules: CheckFileRules): CheckFileChanges {
  const protectedFiles: string[] = [];
  const addedTests: string[] = [];
  for (const change of changes) {
    const kind = checkFileKind(change.path, rules);
    if (kind === undefined) continue;
    if (kind === 'test' && change.kind === 'added') addedTests.push(change.path);
    else protectedFiles.push(change.path);
  }
  return { protectedFiles, addedTests };
}
