// What every cell of an eval shares (the engine, the suite, where things go), and the files a cell's run reads:
// the model scripts of a scripted task and the orch config the suite gives.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxSetting } from '../domain/config.ts';
import { ConfigError } from '../domain/errors.ts';
import type { Engine } from '../engine/run/engine.ts';
import type { SandboxRequest } from '../sandbox/index.ts';
import { parseScripts, type ScriptInput } from '../testkit/index.ts';
import type { Cell } from './matrix.ts';
import { suitePath, type Suite } from './suite.ts';

export interface CellContext {
  engine: Engine;
  suite: Suite;
  /** Each task's repository source (a path, a bundle, or the URL's mirror). */
  sources: Map<string, string>;
  outDir: string;
  /** The runs' sandbox (`--sandbox`), over the config's. */
  sandbox: SandboxSetting | undefined;
  hiddenSandbox: SandboxRequest;
  /** The Claude Code CLI scripted tasks run (the one shipped with orch). */
  claudeBinary: string;
  /** Ask the AI reviewer in every run (`--review`). */
  review: boolean;
  signal: AbortSignal;
  /** Told when a cell's run has started (or resumed). */
  onStarted?: ((cell: Cell, runId: string, resumed: boolean) => void) | undefined;
}

/** A task's model scripts, checked (a ConfigError names what is wrong). */
export function readScripts(suite: Suite, file: string): ScriptInput[] {
  const path = suitePath(suite, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the model script ${path}: ${(error as Error).message}`);
  }
  parseScripts(raw);
  return raw as ScriptInput[];
}

/** The orch config for the cell's run, as a file; undefined: the repository's own. */
export function runConfig(ctx: CellContext, cell: Cell, cellDir: string): string | undefined {
  if (ctx.suite.config === undefined && cell.task.script === undefined) return undefined;
  const config: Record<string, unknown> = { ...ctx.suite.config };
  if (cell.task.script !== undefined) {
    const agents = (config['agents'] ?? {}) as Record<string, Record<string, unknown>>;
    config['agents'] = { ...agents, claude: { binary: ctx.claudeBinary, ...agents['claude'] } };
  }
  const path = join(cellDir, 'orch.config.json');
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

