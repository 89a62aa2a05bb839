// Finding a strategy: a built-in by name, or the user's own module by path. A user's module may
// `import { defineStrategy, z } from 'orch'` from anywhere: 'orch' resolves to this orch, installed or not.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../domain/errors.ts';
import type { Strategy } from '../../domain/strategy.ts';
import { builtinStrategyNames, findBuiltinStrategy } from '../../strategies/registry.ts';

const orchEntry = new URL(import.meta.url.endsWith('.ts') ? '../../index.ts' : '../../index.js', import.meta.url).href;
let hooksInstalled = false;

function resolveOrchImports(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'orch') return { url: orchEntry, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}

export function looksLikePath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || /\.(c|m)?(t|j)s$/.test(nameOrPath);
}

function isStrategy(value: unknown): value is Strategy<unknown> {
  const candidate = value as Partial<Strategy<unknown>> | undefined;
  return (
    typeof candidate?.name === 'string' &&
    typeof candidate.execute === 'function' &&
    typeof (candidate.params as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  );
}

/** A built-in strategy's name, or the absolute path of a module (what a run stores to find it again). */
export function strategySource(nameOrPath: string, cwd: string): string {
  if (!looksLikePath(nameOrPath)) {
    if (findBuiltinStrategy(nameOrPath) === undefined) {
      throw new UsageError(`Unknown strategy '${nameOrPath}'.`, { hint: `Built-in strategies: ${builtinStrategyNames().join(', ')}; or give the path of your own module.` });
    }
    return nameOrPath;
  }
  const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  if (!existsSync(path)) throw new UsageError(`The strategy module ${path} does not exist.`);
  return path;
}

export async function loadStrategy(source: string): Promise<Strategy<unknown>> {
  const builtin = findBuiltinStrategy(source);
  if (builtin !== undefined) return builtin;
  resolveOrchImports();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(source).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`Cannot load the strategy module ${source}: ${(error as Error).message}`, { cause: error });
  }
  const strategy = module['default'] ?? module['strategy'];
  if (!isStrategy(strategy)) {
    throw new UsageError(`${source} does not export a strategy.`, {
      hint: "Export one as the default: export default defineStrategy({ name, params, execute }) — see examples/strategies/.",
    });
  }
  return strategy;
}
