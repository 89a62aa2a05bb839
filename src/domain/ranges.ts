// The numbers orch accepts, each against the range the platform can really do: one description per kind of
// number, from which the config schema, the CLI's flags and the API's bodies all build their checks.
// Why ranges at all: a duration ends in a Node.js timer, which waits at most 2^31-1 ms (about 24.8 days) and fires
// after 1 ms for anything longer, so a week-long `--timeout` in seconds is fine but `1e10` would kill at once.
import { z } from 'zod';

/** The longest a Node.js timer can wait (setTimeout's signed 32-bit limit). */
export const maxTimerMs = 2 ** 31 - 1;

export interface NumberRange {
  /** 'seconds', 'US dollars' or '' (a plain count). */
  unit: string;
  min: number;
  /** `min` itself is refused (a duration of 0 s, a budget of $0). */
  minExclusive: boolean;
  max: number;
  integer: boolean;
  /** Why the upper bound is where it is, for the message. */
  maxWhy: string;
}

const timerWhy = 'the longest a timer can wait: about 24.8 days';

/** A duration in seconds that becomes a timer: more than 0, at most what a timer can wait. */
export const durationRange: NumberRange = { unit: 'seconds', min: 0, minExclusive: true, max: Math.floor(maxTimerMs / 1000), integer: false, maxWhy: timerWhy };
/** A wait in seconds that may be 0 (a retry delay, a cooldown). */
export const delayRange: NumberRange = { ...durationRange, minExclusive: false };
/** An amount of US dollars (a budget); past a million it is a typo, and float sums stop being exact to the cent. */
export const usdRange: NumberRange = { unit: 'US dollars', min: 0, minExclusive: true, max: 1_000_000, integer: false, maxWhy: 'a million dollars' };

/** A whole number from `min` to `max`; `maxWhy` says where the bound comes from. */
export function countRange(min: number, max: number, maxWhy = 'the most orch supports'): NumberRange {
  return { unit: '', min, minExclusive: false, max, integer: true, maxWhy };
}

/** A count that ends up in a 32-bit integer somewhere (an agent CLI's flag, SQLite LIMIT, a loop): 2^31-1 at most. */
export const int32Why = 'the largest 32-bit whole number';

/** How a value in `range` is described in a message: "a positive number of seconds", "a whole number from 0 to 5". */
export function describeRange(range: NumberRange): string {
  if (range.integer) {
    if (range.min === 1) return 'a positive whole number';
    return `a whole number from ${range.min} to ${range.max}`;
  }
  const sign = range.minExclusive && range.min === 0 ? 'positive' : range.min === 0 ? 'non-negative' : `≥ ${range.min}`;
  if (range.unit === 'US dollars') return `a ${sign} amount of US dollars`;
  return `a ${sign} number${range.unit ? ` of ${range.unit}` : ''}`;
}

const tooBig = (range: NumberRange): string => `must be at most ${range.max}${range.unit ? ` ${range.unit}` : ''} (${range.maxWhy})`;

/** The zod schema of `range`: finite, in range, whole where it must be; its messages say the bound and why. */
export function rangeSchema(range: NumberRange): z.ZodNumber {
  let schema = z.number({ error: `must be ${describeRange(range)}` });
  if (range.integer) schema = schema.int(`must be ${describeRange(range)}`);
  schema = range.minExclusive ? schema.gt(range.min, `must be ${describeRange(range)}`) : schema.gte(range.min, `must be ${describeRange(range)}`);
  return schema.lte(range.max, tooBig(range));
}

/** The same check on flag or query text: a number in `range`, or the sentence saying what is wrong. */
export function parseInRange(text: string, range: NumberRange): { ok: true; value: number } | { ok: false; problem: string } {
  // Number('') and Number(' ') are 0 and Number('0x10') is 16: only decimal notation counts as a number here.
  const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN;
  const parsed = rangeSchema(range).safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const tooLarge = Number.isFinite(value) && value > range.max;
  return { ok: false, problem: tooLarge ? tooBig(range) : `must be ${describeRange(range)}` };
}

/** A run's total time in minutes (limits.maxRunMinutes, --max-run-minutes): past a week it is a mistake, and the timer holds it. */
export const runMinutesRange: NumberRange = { unit: 'minutes', min: 0, minExclusive: true, max: 7 * 24 * 60, integer: false, maxWhy: 'a week' };
/** Agents of one run, or of one server, at once: each is a process tree with a worktree of its own. */
export const maxAgentsRange = countRange(1, 1000, 'more agents at once than one machine can run');
/** A TCP port; 0 asks the system for a free one. */
export const portRange = countRange(0, 65535, 'the largest TCP port');
/** How many records a listing shows. */
export const listLimitRange = countRange(1, 5000, 'the longest listing orch prints');
