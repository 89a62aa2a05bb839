// The built-in strategies by name.
import { UsageError } from '../domain/errors.ts';
import type { Strategy } from '../domain/strategy.ts';
import { single } from './single.ts';

const builtins: ReadonlyMap<string, Strategy<unknown>> = new Map([[single.name, single]]);

export function builtinStrategy(name: string): Strategy<unknown> {
  const strategy = builtins.get(name);
  if (strategy === undefined) {
    throw new UsageError(`Unknown strategy '${name}'.`, { hint: `Built-in strategies: ${[...builtins.keys()].join(', ')}.` });
  }
  return strategy;
}

export function builtinStrategyNames(): string[] {
  return [...builtins.keys()];
}
