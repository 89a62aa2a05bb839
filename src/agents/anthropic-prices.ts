/**
 * Claude Code prints its cost only in its last line, so orch prices each model turn itself while the agent works
 * (from the usage each message starts and ends with), and takes the CLI's own figure when it comes.
 *
 * USD per million tokens. The models Claude Code 2.1.329 knows were measured from the CLI itself (its cost for a
 * scripted usage of each kind, against the testkit's server): so orch's live figure matches the CLI's final one.
 * claude-opus-4-1 and claude-sonnet-4 are Anthropic's published list prices (not measured: this CLI maps them to
 * other models). A model with a date or a suffix (`claude-sonnet-4-5-20250929`) is priced by the longest name in
 * the table it starts with; a model missing from the table by its family (`opus`, `sonnet`, `haiku` in its name) at
 * the newest member's rate, and anything else at the dearest rate listed, so budgets err on the safe side.
 * Override or extend with `agents.claude.prices`.
 */
import type { PriceTable, TokenPrice } from './token-prices.ts';

const opus41: TokenPrice = { input: 15, cachedInput: 1.5, output: 75, cacheWrite: 18.75 };

export const anthropicPrices: PriceTable = {
  'claude-opus-5-5': { input: 4, cachedInput: 0.2, output: 20, cacheWrite: 5 },
  'claude-sonnet-5-5': { input: 2, cachedInput: 0.1, output: 10, cacheWrite: 2.5 },
  'claude-haiku-5-5': { input: 0.1, cachedInput: 0.01, output: 0.5, cacheWrite: 0.125 },
  'claude-sonnet-5': { input: 2, cachedInput: 0.2, output: 10, cacheWrite: 2.5 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, output: 25, cacheWrite: 6.25 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, output: 15, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, output: 5, cacheWrite: 1.25 },
  'claude-opus-4-1': opus41,
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, output: 15, cacheWrite: 3.75 },
};

const families: readonly [RegExp, string][] = [
  [/haiku/, 'claude-haiku-5-5'],
  [/sonnet/, 'claude-sonnet-5-5'],
  [/opus/, 'claude-opus-5-5'],
];

const dearest = 'claude-opus-4-1';

/** The price of `model`: the user's table first, then the built-in one (exact, then by prefix), its family's, else the dearest. */
export function anthropicPriceOf(model: string | undefined, overrides: PriceTable = {}): TokenPrice {
  const table: PriceTable = { ...anthropicPrices, ...overrides };
  const name = model ?? '';
  const exact = table[name];
  if (exact !== undefined) return exact;
  const prefix = Object.keys(table)
    .filter((key) => name.startsWith(key))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix !== undefined) return table[prefix] ?? opus41;
  const family = families.find(([pattern]) => pattern.test(name))?.[1] ?? dearest;
  return table[family] ?? opus41;
}
