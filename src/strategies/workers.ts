// The strategies a task of a plan run can be worked with (all built-ins but plan itself).
import type { Strategy } from '../domain/strategy.ts';
import { bestOfN } from './best-of-n.ts';
import { iterative } from './iterative.ts';
import { single } from './single.ts';
import { tournament } from './tournament.ts';

export const workerStrategies: ReadonlyMap<string, Strategy<never>> = new Map<string, Strategy<never>>(
  [single, bestOfN, iterative, tournament].map((s) => [s.name, s as unknown as Strategy<never>]),
);
