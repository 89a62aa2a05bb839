// The built-in strategies with their parameters' JSON Schema: forms (the dashboard's start form) build their
// fields from it, so a strategy's parameters are described once, in its zod schema.
import { z } from 'zod';
import type { StrategyInfo } from '../domain/api.ts';
import { builtinStrategyNames, findBuiltinStrategy } from '../strategies/registry.ts';
import { defineRoute, type AnyRoute } from './route.ts';
import { responses } from './schemas.ts';

/** Each built-in strategy, its parameters as their input looks (before defaults and transforms). */
export function strategyInfos(): StrategyInfo[] {
  return builtinStrategyNames().flatMap((name) => {
    const strategy = findBuiltinStrategy(name);
    if (strategy === undefined) return [];
    const params = z.toJSONSchema(strategy.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return [{ name, description: strategy.description, params }];
  });
}

export function strategyRoutes(): AnyRoute[] {
  const infos = strategyInfos();
  return [
    defineRoute({
      method: 'get',
      path: '/strategies',
      scope: 'read',
      summary: "The built-in strategies, each with the JSON Schema of its parameters (POST /runs takes them as `params`).",
      status: 200,
      response: responses.strategies,
      handle: () => ({ strategies: infos }),
    }),
  ];
}
