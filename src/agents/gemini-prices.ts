/**
 * Gemini CLI prints tokens, never money, so orch estimates the cost of a Gemini run from its per-model usage.
 *
 * List prices in USD per million tokens, standard tier, prompts up to 200K tokens, as Google's pricing page
 * (ai.google.dev/gemini-api/docs/pricing) listed them in early 2026, read through third-party copies (e.g. the
 * ai-models-stats repository's GOOGLE_PRICING.md); not checked against Google directly. Gemini CLI 0.61 asks for
 * newer models than that table names (gemini-3.1-pro-preview, gemini-3.8-flash, gemini-3.5-flash-lite): a model
 * missing here is priced by its family (`flash-lite`, `flash`, `pro` in its name) at the newest listed member's rate,
 * and anything else as Gemini 3 Pro, the dearest, so budgets err on the safe side. Not covered: the long-context
 * tier (about 2× input, 1.5× output past 200K prompt tokens), Batch, and Google-account logins (free or plan
 * quotas, not billed per token: the figure is then only an API-equivalent). Override or extend with
 * `agents.gemini.prices`.
 */
import type { TokenPrice } from './token-prices.ts';

export const geminiPrices: Readonly<Record<string, TokenPrice>> = {
  'gemini-3-pro-preview': { input: 2, cachedInput: 0.2, output: 12 },
  'gemini-3-flash-preview': { input: 0.5, cachedInput: 0.05, output: 3 },
  'gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
};

const families: readonly [RegExp, string][] = [
  [/flash-lite/, 'gemini-2.5-flash-lite'],
  [/flash/, 'gemini-3-flash-preview'],
  [/pro/, 'gemini-3-pro-preview'],
];

const dearest = 'gemini-3-pro-preview';

/** The price of `model`: the user's table first, then the built-in one, then its family's, else Gemini 3 Pro's. */
export function geminiPriceOf(model: string, overrides: Readonly<Record<string, TokenPrice>> = {}): TokenPrice {
  const table = { ...geminiPrices, ...overrides };
  const exact = table[model];
  if (exact !== undefined) return exact;
  const family = families.find(([pattern]) => pattern.test(model))?.[1] ?? dearest;
  return table[family] ?? { input: 2, cachedInput: 0.2, output: 12 };
}
