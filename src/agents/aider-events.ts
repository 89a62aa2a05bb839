// Reading Aider's plain-text output. Aider prints no JSON: edits, its usage report and litellm's errors are
// recognised by their documented wording; every other line is text. See docs/agents/aider.md.
import type { AgentEvent } from '../domain/agent-events.ts';

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

/** Running totals of one aider process. Aider reports tokens per message but cost per session. */
interface Tally {
  calls: number;
  sent: number;
  received: number;
  cacheWrite: number;
  cacheHit: number;
  costUsd: number;
  /** Lines since the last line that was not the model's: the reply the next usage report belongs to. */
  reply: string[];
  retries: number;
  lastStatus: number | null;
}

const freshTally = (): Tally => ({ calls: 0, sent: 0, received: 0, cacheWrite: 0, cacheHit: 0, costUsd: 0, reply: [], retries: 0, lastStatus: null });

// eslint-disable-next-line no-control-regex -- ANSI escapes are control characters by definition
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const count = String.raw`(\d[\d,]*(?:\.\d+)?k?)`;
/** base_coder / usage tracker: "Tokens: 2.1k sent[, 1.0k cache write][, 3.2k cache hit], 131 received." */
const tokensLine = new RegExp(
  String.raw`^Tokens: ${count} sent(?:, ${count} cache write)?(?:, ${count} cache hit)?, ${count} received\.(?:\s+(Cost: .*))?$`,
);
/** "Cost: $0.0013 message, $0.0042 session." — on the tokens line, or on its own when both cache counts are shown. */
const costLine = /^Cost: \$(\d+(?:\.\d+)?) (?:message|request), \$(\d+(?:\.\d+)?) session\.$/;
const appliedEdit = /^Applied edit to (.+)$/;
const retrying = /^Retrying in (\d+(?:\.\d+)?) seconds/;
const banner = /^Aider v\d/;
/** Lines aider prints about itself before the reply: they end a reply rather than belong to it. */
const chrome =
  /^(?:Main model|Model|Weak model|Editor model|Git repo|Repo-map|Cur working dir|Git working dir): |^Added .+ to the chat|^Use \/help |^Did not apply edit to |^The API provider |\(Y\)es\/\(N\)o.*\]: ?\S*$/;

/** The litellm exceptions aider catches (aider/exceptions.py), with the HTTP status each stands for. */
const litellmErrors: Record<string, number | null> = {
  APIConnectionError: null,
  APIError: null,
  APIResponseValidationError: null,
  AuthenticationError: 401,
  PermissionDeniedError: 403,
  AzureOpenAIError: null,
  BadRequestError: 400,
  BudgetExceededError: null,
  ContentPolicyViolationError: 400,
  ContextWindowExceededError: 400,
  InternalServerError: 500,
  InvalidRequestError: 400,
  JSONSchemaValidationError: null,
  NotFoundError: 404,
  OpenAIError: null,
  RateLimitError: 429,
  RouterRateLimitError: 429,
  ServiceUnavailableError: 503,
  UnprocessableEntityError: 422,
  UnsupportedParamsError: 400,
  Timeout: 408,
};
/** litellm prefixes its exceptions' text with "litellm.<Name>: "; without the prefix a reply line could look alike. */
const errorLine = /^litellm\.([A-Za-z]+): /;
/** aider/onboarding.py, when neither a model nor a key is given: it then offers an interactive OpenRouter login. */
export const noModelText = 'No LLM model was specified and no API keys were provided.';

/** "2.1k" → 2100, "12k" → 12000, "1,234" → 1234. Aider rounds, so these are approximate past 1000. */
export function parseTokenCount(text: string | undefined): number {
  if (text === undefined) return 0;
  const thousands = text.endsWith('k');
  const value = Number(text.replace(/[,k]/g, ''));
  if (!Number.isFinite(value)) return 0;
  return Math.round(thousands ? value * 1000 : value);
}

function statusIn(name: string, line: string): number | null {
  const code = /\b(?:Error code|status(?:_code)?)["']?[:=]\s*(\d{3})\b/i.exec(line)?.[1];
  return code !== undefined ? Number(code) : (litellmErrors[name] ?? null);
}

function resultOf(tally: Tally, extra: Partial<ResultEvent> = {}): ResultEvent {
  return {
    kind: 'result',
    isError: false,
    subtype: 'success',
    turns: tally.calls,
    costUsd: tally.costUsd,
    usage: {
      // Aider counts cache writes into "sent" (usage tracker: message_tokens_sent += cache_write_tokens).
      inputTokens: Math.max(0, tally.sent - tally.cacheWrite),
      outputTokens: tally.received,
      cacheReadTokens: tally.cacheHit,
      cacheWriteTokens: tally.cacheWrite,
    },
    sessionId: null,
    durationMs: 0,
    permissionDenials: [],
    apiErrorStatus: null,
    errors: [],
    text: tally.reply.join('\n').trim(),
    ...extra,
  };
}

/**
 * A line reader for one aider process. It keeps running totals, so that every usage report becomes a `result`
 * event carrying the whole session so far (orch's usage meter takes the last one as the total); the version
 * banner that aider prints first starts a new tally. One reader per process: not shared between processes.
 */
export function createAiderParser(): (line: string) => AgentEvent[] {
  let tally = freshTally();
  return (rawLine) => {
    const line = rawLine.replace(ansi, '').replace(/\r/g, '').trimEnd();
    const trimmed = line.trim();
    if (trimmed === '') {
      if (tally.reply.length > 0) tally.reply.push('');
      return [];
    }
    if (banner.test(trimmed)) {
      tally = freshTally();
      return [{ kind: 'text', text: trimmed }];
    }
    const tokens = tokensLine.exec(trimmed);
    if (tokens !== null) {
      tally.calls += 1;
      tally.sent += parseTokenCount(tokens[1]);
      tally.cacheWrite += parseTokenCount(tokens[2]);
      tally.cacheHit += parseTokenCount(tokens[3]);
      tally.received += parseTokenCount(tokens[4]);
      const cost = costLine.exec(tokens[5] ?? '');
      if (cost !== null) tally.costUsd = Number(cost[2]);
      const result = resultOf(tally);
      tally.reply = [];
      tally.retries = 0;
      return [result];
    }
    const cost = costLine.exec(trimmed);
    if (cost !== null) {
      tally.costUsd = Number(cost[2]);
      return [resultOf(tally, { text: '' })];
    }
    const edit = appliedEdit.exec(trimmed);
    if (edit !== null) {
      tally.reply = [];
      return [{ kind: 'tool_use', tool: 'Edit', summary: edit[1] ?? '' }];
    }
    const retry = retrying.exec(trimmed);
    if (retry !== null) {
      tally.retries += 1;
      tally.reply = [];
      return [{ kind: 'retry', attempt: tally.retries, delayMs: Math.round(Number(retry[1]) * 1000), status: tally.lastStatus }];
    }
    const errorName = errorLine.exec(trimmed)?.[1];
    if (errorName !== undefined && errorName in litellmErrors) {
      // Every error line is an error result: a later retry that succeeds prints a usage report after it.
      tally.lastStatus = statusIn(errorName, trimmed);
      tally.reply = [];
      return [{ kind: 'text', text: trimmed }, resultOf(tally, { isError: true, subtype: errorName, apiErrorStatus: tally.lastStatus, errors: [trimmed], text: '' })];
    }
    if (trimmed === noModelText) {
      tally.reply = [];
      return [{ kind: 'text', text: trimmed }, resultOf(tally, { isError: true, subtype: 'no_model', errors: [trimmed], text: '' })];
    }
    if (chrome.test(trimmed)) tally.reply = [];
    else tally.reply.push(line);
    return [{ kind: 'text', text: trimmed }];
  };
}
