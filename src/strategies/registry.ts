// The built-in strategies by name.
import type { Strategy } from '../domain/strategy.ts';
import { bestOfN } from './best-of-n.ts';
import { iterative } from './iterative.ts';
import { single } from './single.ts';
import { tournament } from './tournament.ts';

const builtins: ReadonlyMap<string, Strategy<never>> = new Map<string, Strategy<never>>(
  [single, bestOfN, iterative, tournament].map((s) => [s.name, s as unknown as Strategy<never>]),
);

export function findBuiltinStrategy(name: string): Strategy<unknown> | undefined {
  return builtins.get(name);
}

export function builtinStrategyNames(): string[] {
  return [...builtins.keys()];
}
