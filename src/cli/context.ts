// What every command opens: ORCH_HOME, the store, the engine, a file logger. Closed on the way out.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { orchPaths, resolveOrchHome, type OrchPaths } from '../domain/paths.ts';
import { Engine } from '../engine/engine.ts';
import { openOrchStore } from '../engine/preflight.ts';
import type { Store } from '../store/store.ts';

export interface CliContext {
  home: string;
  paths: OrchPaths;
  store: Store;
  engine: Engine;
  close(): void;
}

export function openContext(options: { maxAgents?: number | undefined } = {}, env: NodeJS.ProcessEnv = process.env): CliContext {
  const home = resolveOrchHome(env);
  const paths = orchPaths(home);
  const store = openOrchStore(home);
  mkdirSync(paths.logsRoot, { recursive: true });
  const destination = pino.destination({ dest: join(paths.logsRoot, 'orch.log'), sync: true });
  const logger = pino({ level: env['ORCH_LOG_LEVEL'] ?? 'info', redact: ['*.ANTHROPIC_API_KEY', '*.ANTHROPIC_AUTH_TOKEN', '*.env'] }, destination);
  const engine = new Engine({ store, home, logger, ...(options.maxAgents !== undefined ? { maxAgents: options.maxAgents } : {}) });
  return {
    home,
    paths,
    store,
    engine,
    close: () => store.close(),
  };
}
