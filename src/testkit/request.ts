/**
 * What the scripted server reads out of a Messages API request body: the turn number, the prompt, the cwd.
 *
 * Claude Code 2.1.329 does not put its working directory in the top-level `system` field: it sends a
 * `role:"system"` message inside `messages[]` (right after the first user message) whose text holds the line
 * ` - Primary working directory: /abs/path`. With `--exclude-dynamic-system-prompt-sections` that section moves
 * into the first user message instead. So the cwd is searched for in the top-level `system`, then in `system`
 * messages, then in the other messages.
 */

interface ContentBlock {
  type?: unknown;
  text?: unknown;
}

interface Message {
  role?: unknown;
  content?: unknown;
}

export interface RequestView {
  /** Assistant messages in the request: the 0-based number of the turn being asked for. */
  turn: number;
  /** The text of the first user message (all its text blocks, joined by newlines). */
  prompt: string;
  /** The agent's working directory, or null when the request does not name one. */
  cwd: string | null;
  /** The credential the request carried (set by the server from its headers). */
  apiKey?: string | null;
}

const cwdPattern = /(?:Primary working directory|Working directory): *(\/[^\n]*)/;

function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return (content as ContentBlock[]).flatMap((block) =>
    block !== null && typeof block === 'object' && block.type === 'text' && typeof block.text === 'string' ? [block.text] : [],
  );
}

function messagesOf(body: unknown): Message[] {
  if (body === null || typeof body !== 'object') return [];
  const messages = (body as { messages?: unknown }).messages;
  return Array.isArray(messages) ? messages.filter((m): m is Message => m !== null && typeof m === 'object') : [];
}

export function findCwd(body: unknown): string | null {
  const system = body !== null && typeof body === 'object' ? (body as { system?: unknown }).system : undefined;
  const messages = messagesOf(body);
  const texts = [
    ...textsOf(system),
    ...messages.filter((message) => message.role === 'system').flatMap((message) => textsOf(message.content)),
    ...messages.filter((message) => message.role !== 'system').flatMap((message) => textsOf(message.content)),
  ];
  for (const text of texts) {
    const match = cwdPattern.exec(text);
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return null;
}

export function readRequest(body: unknown): RequestView {
  const messages = messagesOf(body);
  const firstUser = messages.find((message) => message.role === 'user');
  return {
    turn: messages.filter((message) => message.role === 'assistant').length,
    prompt: firstUser === undefined ? '' : textsOf(firstUser.content).join('\n'),
    cwd: findCwd(body),
  };
}
