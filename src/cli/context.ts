// What every command opens: ORCH_HOME, the store, the engine, a file logger. Closed on the way out.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Pino from 'pino';
import { orchPaths, resolveOrchHome, type OrchPaths } from '../domain/paths.ts';
import type { Engine } from '../engine/run/engine.ts';
import { openOrchStore } from '../engine/run/preflight.ts';
import { recoverOnStart } from '../engine/run/reconcile.ts';
import { logLevelFromEnv } from './log-level.ts';
import { printErr } from './output.ts';
import type { Store } from '../store/store.ts';

export interface CliContext {
  home: string;
  paths: OrchPaths;
  store: Store;
  engine: Engine;
  /** Reconcile the store with reality after an orch that died: runs marked interrupted, orphans stopped. */
  recover(): Promise<void>;
  close(): void;
}

/**
 * `engine: false` for commands that only read the record (runs, show, events, logs, keys): the engine and all it
 * imports (agents, strategies, zod schemas) stay unloaded, so they start in a fraction of the time.
 */
export async function openContext(options: { maxAgents?: number | undefined; engine?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): Promise<CliContext> {
  const EngineClass = options.engine === false ? undefined : (await import('../engine/run/engine.ts')).Engine;
  const level = logLevelFromEnv(env);
  const home = resolveOrchHome(env);
  const paths = orchPaths(home);
  const store = openOrchStore(home);
  // Logs hold agent output and run details: the folder 0700, orch's own log 0600 (ORCH_HOME itself is 0700).
  mkdirSync(paths.logsRoot, { recursive: true, mode: 0o700 });
  chmodSync(paths.logsRoot, 0o700);
  const logFile = join(paths.logsRoot, 'orch.log');
  closeSync(openSync(logFile, 'a', 0o600));
  chmodSync(logFile, 0o600);
  const logger = lazyLogger(() => {
    const { pino } = createRequire(import.meta.url)('pino') as typeof Pino;
    const destination = pino.destination({ dest: logFile, sync: true });
    return pino({ level, redact: ['*.ANTHROPIC_API_KEY', '*.ANTHROPIC_AUTH_TOKEN', '*.env'] }, destination);
  });
  const engine = EngineClass === undefined ? undefined : new EngineClass({ store, home, logger, ...(options.maxAgents !== undefined ? { maxAgents: options.maxAgents } : {}) });
  return {
    home,
    paths,
    store,
    get engine(): Engine {
      if (engine === undefined) throw new Error('this command opened its context without the engine');
      return engine;
    },
    async recover() {
      const recovery = await recoverOnStart(store, logger);
      for (const runId of recovery.interruptedRuns) printErr(`orch: run ${runId} was left running by an orch that stopped; it is now interrupted (resume it with: orch resume ${runId})`);
      if (recovery.removedWorktrees > 0) printErr(`orch: removed ${recovery.removedWorktrees} worktree(s) of runs that had ended when their orch stopped (their branches stay)`);
      if (recovery.stoppedAgents > 0) printErr(`orch: stopped ${recovery.stoppedAgents} agent process(es) left behind by an orch that stopped`);
    },
    close: () => store.close(),
  };
}

/**
 * The logger, made at its first use: pino is a large part of what a read-only command would load (`orch runs`
 * logs only when it recovers from an orch that died). Required, not imported, so that it can load on demand.
 */
function lazyLogger(make: () => Pino.Logger): Pino.Logger {
  let logger: Pino.Logger | undefined;
  return new Proxy({} as Pino.Logger, {
    get(_target, key) {
      logger ??= make();
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set(_target, key, value) {
      logger ??= make();
      return Reflect.set(logger, key, value, logger);
    },
  });
}
