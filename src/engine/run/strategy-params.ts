// Strategy parameters as users give them — `-S key=value` (repeatable) and `--params JSON` — validated by the
// strategy's own schema, with errors that name the parameter.
import { UsageError } from '../../domain/errors.ts';
import type { Strategy } from '../../domain/strategy.ts';

/** `-S n=3 -S review=true -S agents=claude,codex`: values are JSON where they parse as JSON, else strings. */
export function parseParamPairs(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`-S takes key=value, not '${pair}'.`, { hint: 'For example: -S n=5' });
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: a plain string.
    }
    params[key] = value;
  }
  return params;
}

export function parseParamsJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params is not valid JSON: ${(error as Error).message}.`, { hint: `For example: --params '{"n": 5}'` });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--params must be a JSON object.', { hint: `For example: --params '{"n": 5}'` });
  return value as Record<string, unknown>;
}

export function validateParams<P>(strategy: Strategy<P>, raw: Record<string, unknown>): P {
  const parsed = strategy.params.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.length > 0 ? issue.path.join('.') : '(params)'}: ${issue.message}`);
  throw new UsageError(`Invalid parameters for strategy '${strategy.name}':\n${lines.join('\n')}`, {
    hint: `Give them as -S key=value or --params JSON.`,
  });
}
