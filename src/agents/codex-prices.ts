/**
 * Codex prints tokens, never money, so orch estimates the cost of a Codex run from its usage.
 *
 * List prices in USD per million tokens, standard tier, prompts under ~272K tokens, as OpenAI's pricing page listed
 * them in mid-2026 (read through several third-party copies, e.g. tokenmix.ai and morphllm.com, June 2026; not
 * checked against api.openai.com). Not covered: the long-context tier (about 2× input, 1.5× output once a prompt
 * passes ~272K tokens), Batch/Flex/Priority, and ChatGPT-plan logins, which are not billed per token at all.
 * A model missing here is priced as `gpt-5.5`, the dearest common one, so budgets err on the safe side.
 * Override or extend with `agents.codex.prices`.
 */
import type { TokenPrice } from './token-prices.ts';

export { estimateCostUsd, type TokenPrice } from './token-prices.ts';

export const defaultPriceModel = 'gpt-5.5';

export const codexPrices: Readonly<Record<string, TokenPrice>> = {
  'gpt-5.5': { input: 5, cachedInput: 0.5, output: 30 },
  'gpt-5.5-pro': { input: 30, cachedInput: 30, output: 180 },
  'gpt-5.4': { input: 2.5, cachedInput: 0.25, output: 15 },
  'gpt-5.4-mini': { input: 0.75, cachedInput: 0.075, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, cachedInput: 0.02, output: 1.25 },
  'gpt-5.4-pro': { input: 30, cachedInput: 30, output: 180 },
};

/** The price of `model`: the user's own table first, then the built-in one, else gpt-5.5's. */
export function priceOf(model: string | undefined, overrides: Readonly<Record<string, TokenPrice>> = {}): TokenPrice {
  const table = { ...codexPrices, ...overrides };
  return table[model ?? defaultPriceModel] ?? table[defaultPriceModel] ?? { input: 5, cachedInput: 0.5, output: 30 };
}

