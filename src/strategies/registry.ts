// The built-in strategies by name.
import type { Strategy } from '../domain/strategy.ts';
import { cycle } from './cycle.ts';
import { plan } from './plan.ts';
import { workerStrategies } from './workers.ts';

const builtins: ReadonlyMap<string, Strategy<never>> = new Map<string, Strategy<never>>([...workerStrategies, [plan.name, plan as unknown as Strategy<never>], [cycle.name, cycle as unknown as Strategy<never>]]);

export function findBuiltinStrategy(name: string): Strategy<unknown> | undefined {
  return builtins.get(name);
}

export function builtinStrategyNames(): string[] {
  return [...builtins.keys()];
}
