/**
 * What the scripted OpenAI server reads out of a Responses API request body: the turn number, the prompt, the cwd,
 * and the tools on offer.
 *
 * Codex 0.169 sends no `instructions`; `input` starts with `developer` messages (its system prompt, skills), then
 * `user` messages that are context, not the task: `<environment_context>` (holding `<cwd>/abs/path</cwd>`) and
 * `# AGENTS.md instructions for …`. The prompt is the first user message that is not such context. Each model
 * answer comes back in later requests as a run of output items (`message` role assistant, `function_call`,
 * `custom_tool_call`, `reasoning`, …) followed by the tools' outputs; parallel calls of one answer stay in one run.
 */
import type { RequestView } from './request.ts';

export interface ResponsesRequestView extends RequestView {
  /** Names of the function and custom tools the request offers (`exec_command`, `apply_patch`, …). */
  tools: ReadonlySet<string>;
}

type Item = Record<string, unknown>;

const cwdPattern = /<cwd>([^<]+)<\/cwd>/;
/** Context Codex wraps as user messages: a whole `<tag>…</tag>` block, or an AGENTS.md preamble. */
const contextPattern = /^\s*(?:<([a-z_]+)>[\s\S]*<\/\1>\s*$|# AGENTS\.md instructions for )/;

/** Item types a model answer consists of; anything else (user turns, tool outputs) separates two answers. */
const answerItemTypes = new Set([
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'reasoning',
  'web_search_call',
  'tool_search_call',
  'image_generation_call',
]);

function itemsOf(body: unknown): Item[] {
  if (body === null || typeof body !== 'object') return [];
  const input = (body as { input?: unknown }).input;
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input.filter((item): item is Item => item !== null && typeof item === 'object') : [];
}

function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part: unknown) => {
    const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
    return (type === 'input_text' || type === 'output_text' || type === 'text') && typeof text === 'string' ? [text] : [];
  });
}

function isUserMessage(item: Item): boolean {
  return (item['type'] === 'message' || item['type'] === undefined) && item['role'] === 'user';
}

function isAnswerItem(item: Item): boolean {
  if (item['type'] === 'message') return item['role'] === 'assistant';
  return typeof item['type'] === 'string' && answerItemTypes.has(item['type']);
}

/** Runs of consecutive answer items: one per model answer already in the conversation. */
function countAnswers(items: readonly Item[]): number {
  let answers = 0;
  let inRun = false;
  for (const item of items) {
    const answer = isAnswerItem(item);
    if (answer && !inRun) answers += 1;
    inRun = answer;
  }
  return answers;
}

export function findResponsesCwd(body: unknown): string | null {
  const texts = itemsOf(body)
    .filter(isUserMessage)
    .flatMap((item) => textsOf(item['content']));
  // A resumed thread repeats the context; the last one is the current.
  const found = texts.flatMap((text) => {
    const match = cwdPattern.exec(text);
    return match?.[1] === undefined ? [] : [match[1].trim()];
  });
  return found.at(-1) ?? null;
}

function toolsOf(body: unknown): Set<string> {
  const tools = body !== null && typeof body === 'object' ? (body as { tools?: unknown }).tools : undefined;
  if (!Array.isArray(tools)) return new Set();
  return new Set(tools.flatMap((tool: unknown) => (typeof (tool as { name?: unknown } | null)?.name === 'string' ? [(tool as { name: string }).name] : [])));
}

export function readResponsesRequest(body: unknown): ResponsesRequestView {
  const items = itemsOf(body);
  const prompt = items.filter(isUserMessage).find((item) => {
    const texts = textsOf(item['content']);
    return texts.length > 0 && !texts.every((text) => contextPattern.test(text));
  });
  return {
    turn: countAnswers(items),
    prompt: prompt === undefined ? '' : textsOf(prompt['content']).join('\n'),
    cwd: findResponsesCwd(body),
    tools: toolsOf(body),
  };
}
