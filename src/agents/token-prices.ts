// Pricing tokens: what orch uses to put a figure on an agent's usage when the agent prints tokens and no money
// (Codex, Gemini CLI), and while it works before it prints its own total (Claude Code reports cost only at its end).
// Each agent keeps its own table (codex-prices.ts, gemini-prices.ts, anthropic-prices.ts); the shape is shared.
import type { AgentUsage } from '../domain/agent-events.ts';

/** USD per million tokens. */
export interface TokenPrice {
  /** Uncached input. */
  input: number;
  /** Input read from the provider's prompt cache. */
  cachedInput: number;
  /** Output, reasoning tokens included. */
  output: number;
  /** Input written to the prompt cache; absent: charged as uncached input (OpenAI, Google). */
  cacheWrite?: number | undefined;
}

export type PriceTable = Readonly<Record<string, TokenPrice>>;

export function estimateCostUsd(usage: AgentUsage, price: TokenPrice): number {
  const micro =
    usage.inputTokens * price.input +
    usage.cacheWriteTokens * (price.cacheWrite ?? price.input) +
    usage.cacheReadTokens * price.cachedInput +
    usage.outputTokens * price.output;
  return micro / 1_000_000;
}
