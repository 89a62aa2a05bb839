// A number given on the command line, checked against the same range the config file and the API use.
import { UsageError } from '../domain/errors.ts';
import { parseInRange, type NumberRange } from '../domain/ranges.ts';

export function numberFlag(flag: string, value: string | undefined, range: NumberRange): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseInRange(value, range);
  if (!parsed.ok) throw new UsageError(`${flag} ${parsed.problem}, not '${value}'.`, { hint: `Run orch help for what ${flag} means.` });
  return parsed.value;
}
