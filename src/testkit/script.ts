/**
 * Scripts for the scripted model servers (Anthropic Messages API, OpenAI Responses API): what the "model" answers,
 * turn by turn. One format for both; each server translates it to its own wire (see openai-server.ts for how tool
 * turns become Codex's tool calls).
 *
 * A script is a list of turns. Two kinds:
 *
 * - **Answer turns** produce one assistant message: `{ text }`, `{ tool, input }` (any tool name: `Write`,
 *   `Edit`, `Bash`, …), both at once (a text block then a tool_use block), or `{ blocks: [...] }` for several
 *   content blocks. The stop reason is `tool_use` when a tool block is present, else `end_turn`.
 * - **Failure turns** answer without a message: `{ error: { status, type?, message?, retryAfter? } }` (HTTP status
 *   and JSON body, `retry-after` header in seconds), `{ hang: true }` (accept and never answer) and `{ cut: true }`
 *   (start the stream, then drop the connection). A failure turn delays the answer turn after it: the first
 *   `times` requests at that position get the failure (default: every request, for ever), later ones go on.
 *
 * Any turn may carry `delayMs` (wait before answering) and `usage` (the token counts reported, in the Messages API's
 * words: `input_tokens` excludes cached input; the CLI computes its cost from them, so this is how a test drives
 * `--max-budget-usd`).
 *
 * **Which turn.** The server is stateless per conversation for answer turns: a request holding N earlier model
 * answers (assistant messages; in the Responses API, runs of output items) gets the N-th answer turn (0-based). A retried request asks again for the same turn and a resumed session goes on
 * where it stopped, with no bookkeeping. Only `times` of failure turns are counted, per script and position (across
 * conversations: a retried or resumed agent session may arrive as a new conversation).
 * When the answer turns run out the server answers `end_turn` with the text "done".
 *
 * **Which script.** Several agents can share one server, each following its own script (best-of-n: attempt 1
 * writes a bad fix, attempt 2 a good one). For each request the server takes:
 * 1. the first script whose `match` holds: every given field is a substring of the request's `prompt` (the text of
 *    the first user message, which the CLIs keep across turns and resumes) or `cwd` (the agent's working
 *    directory, read from the request: see request.ts and responses-request.ts). Matching on `cwd` tells apart parallel attempts
 *    given the same prompt in different worktrees; a marker in the prompt works when the caller controls it.
 * 2. otherwise, scripts without `match` are dealt out to conversations in the order the conversations first reach
 *    the server; the last one is reused for all later conversations (so a lone script without `match` is the
 *    default for every conversation). A conversation is its cwd plus its first user message, so it keeps its script
 *    across turns, retries and resumes. Arrival order of parallel agents is a race: match when order matters.
 * 3. no script at all: the conversation ends at once with "done".
 *
 * In tool inputs and texts, `{{cwd}}` is replaced by the request's working directory (Claude Code's `Write`
 * requires an absolute `file_path`).
 */
import { z } from 'zod';
import { ConfigError } from '../domain/errors.ts';

export const usageSchema = z
  .object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
    cache_read_input_tokens: z.number().int().nonnegative().optional(),
    cache_creation_input_tokens: z.number().int().nonnegative().optional(),
  })
  .strict();
export type ScriptUsage = z.infer<typeof usageSchema>;

const toolInputSchema = z.record(z.string(), z.unknown());

export const blockSchema = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ tool: z.string().min(1), input: toolInputSchema, id: z.string().min(1).optional() }).strict(),
]);
export type ScriptBlock = z.infer<typeof blockSchema>;

const common = {
  delayMs: z.number().int().nonnegative().optional(),
  usage: usageSchema.optional(),
};

/** How many requests at this position get the failure; absent: all of them. */
const times = z.number().int().positive().optional();

const answerTurnSchema = z
  .object({
    ...common,
    text: z.string().optional(),
    tool: z.string().min(1).optional(),
    input: toolInputSchema.optional(),
    blocks: z.array(blockSchema).optional(),
    stopReason: z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence']).optional(),
  })
  .strict()
  .refine((turn) => (turn.tool === undefined) === (turn.input === undefined), {
    message: '`tool` and `input` go together',
  })
  .refine((turn) => turn.text !== undefined || turn.tool !== undefined || (turn.blocks?.length ?? 0) > 0, {
    message: 'an answer turn needs `text`, `tool` or `blocks`',
  });

export const errorSpecSchema = z
  .object({
    status: z.number().int().min(400).max(599),
    /** The API's error type; absent: derived from the status (429 → rate_limit_error, 529 → overloaded_error, …). */
    type: z.string().min(1).optional(),
    message: z.string().optional(),
    /** Seconds, sent as the `retry-after` header. */
    retryAfter: z.number().nonnegative().optional(),
  })
  .strict();
export type ScriptError = z.infer<typeof errorSpecSchema>;

const errorTurnSchema = z.object({ ...common, error: errorSpecSchema, times }).strict();
const hangTurnSchema = z.object({ ...common, hang: z.literal(true), times }).strict();
const cutTurnSchema = z.object({ ...common, cut: z.literal(true), times }).strict();
/** A stream that is not valid SSE / JSON: the agent's client must fail cleanly. */
const malformedTurnSchema = z.object({ ...common, malformed: z.literal(true), times }).strict();

const turnKinds = ['error', 'hang', 'cut', 'malformed'] as const;

/** A union's own message ("Invalid input") names nothing: report the branch the turn's keys point to. */
function turnError(issue: { code?: string; input?: unknown; errors?: unknown }): string | undefined {
  if (issue.code !== 'invalid_union' || !Array.isArray(issue.errors)) return undefined;
  const input = issue.input;
  if (input === null || typeof input !== 'object') return 'a turn must be an object';
  const branch = turnKinds.findIndex((kind) => kind in input);
  const errors = (issue.errors[branch === -1 ? turnKinds.length : branch] ?? []) as { path: PropertyKey[]; message: string }[];
  const first = errors[0];
  if (first === undefined) return undefined;
  const where = first.path.map(String).join('.');
  return where === '' ? first.message : `${where}: ${first.message}`;
}

export const turnSchema = z.union([errorTurnSchema, hangTurnSchema, cutTurnSchema, malformedTurnSchema, answerTurnSchema], { error: turnError });
export type ScriptTurnInput = z.input<typeof turnSchema>;

export const matchSchema = z
  .object({
    prompt: z.string().min(1).optional(),
    cwd: z.string().min(1).optional(),
    /** The credential the request carries (x-api-key, or the Bearer token): to script one key's rate limit. */
    apiKey: z.string().min(1).optional(),
  })
  .strict()
  .refine((match) => match.prompt !== undefined || match.cwd !== undefined || match.apiKey !== undefined, {
    message: '`match` needs `prompt`, `cwd` or `apiKey`',
  });

export const scriptSchema = z
  .object({
    /** Shown in the request log; default `#<index>`. */
    name: z.string().min(1).optional(),
    match: matchSchema.optional(),
    turns: z.array(turnSchema),
  })
  .strict();
export type ScriptInput = z.input<typeof scriptSchema>;

export const scriptsSchema = z.array(scriptSchema);

export interface ScriptedServerOptions {
  /** Shorthand for `scripts: [{ turns: script }]`: one script every conversation follows. */
  script?: readonly ScriptTurnInput[] | undefined;
  /** Several scripts, chosen per conversation (see above). Taken after `script`. */
  scripts?: readonly ScriptInput[] | undefined;
  /** Default 0: a free port. */
  port?: number | undefined;
}

/** What a server answers when no usage is scripted. */
export const defaultUsage: ScriptUsage = { input_tokens: 100, output_tokens: 20 };

// The normalised form the server works with.

export type Block = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string | undefined };

interface TurnCommon {
  delayMs: number;
  usage: ScriptUsage | undefined;
}

export type AnswerTurn = TurnCommon & { kind: 'answer'; blocks: Block[]; stopReason: string };
export type FailureTurn = TurnCommon & { times: number } & (
    | { kind: 'error'; error: ScriptError }
    | { kind: 'hang' }
    | { kind: 'cut' }
    | { kind: 'malformed' }
  );
export type Turn = AnswerTurn | FailureTurn;

export interface Script {
  name: string;
  match: { prompt?: string | undefined; cwd?: string | undefined; apiKey?: string | undefined } | undefined;
  turns: Turn[];
}

function normaliseTurn(turn: z.output<typeof turnSchema>): Turn {
  const base = { delayMs: turn.delayMs ?? 0, usage: turn.usage };
  const times = 'times' in turn ? (turn.times ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  if ('error' in turn) return { ...base, kind: 'error', error: turn.error, times };
  if ('hang' in turn) return { ...base, kind: 'hang', times };
  if ('cut' in turn) return { ...base, kind: 'cut', times };
  if ('malformed' in turn) return { ...base, kind: 'malformed', times };
  const blocks: Block[] = [];
  if (turn.text !== undefined) blocks.push({ type: 'text', text: turn.text });
  if (turn.tool !== undefined) blocks.push({ type: 'tool_use', name: turn.tool, input: turn.input ?? {} });
  for (const block of turn.blocks ?? []) {
    blocks.push('text' in block ? { type: 'text', text: block.text } : { type: 'tool_use', name: block.tool, input: block.input, id: block.id });
  }
  const stopReason = turn.stopReason ?? (blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return { ...base, kind: 'answer', blocks, stopReason };
}

/** The answer past the end of a script. */
export const doneTurn: AnswerTurn = { kind: 'answer', blocks: [{ type: 'text', text: 'done' }], stopReason: 'end_turn', delayMs: 0, usage: undefined };

/** Validates scripts (from code or a JSON file) into their normalised form; a ConfigError names the bad paths. */
export function parseScripts(input: unknown): Script[] {
  const parsed = scriptsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`invalid model script:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data.map((script, index) => ({
    name: script.name ?? `#${index}`,
    match: script.match,
    turns: script.turns.map(normaliseTurn),
  }));
}

/** The scripts a server's options name, validated: `script` first, then `scripts`. */
export function scriptsOf(options: ScriptedServerOptions): Script[] {
  return parseScripts([...(options.script === undefined ? [] : [{ turns: [...options.script] }]), ...(options.scripts ?? [])]);
}
