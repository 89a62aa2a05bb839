/**
 * What the scripted Gemini server reads out of a `generateContent` / `streamGenerateContent` request body: the turn
 * number, the prompt, the cwd, the tools on offer, and whether it is one of Gemini CLI's own utility calls.
 *
 * Gemini CLI 0.61 opens the conversation with a user content whose first part is a `<session_context>…
 * </session_context>` block (date, OS, and `- **Workspace Directories:**\n  - /abs/cwd`); the prompt follows as
 * another text part of that content (or, in a routing call, as a user content of its own). Each model answer is one
 * `role:"model"` content, its function calls answered together by the next user content, so the turn number is the
 * count of model contents. Utility calls (the model router's complexity score, the next-speaker check) are plain
 * `generateContent` requests that ask for JSON through `generationConfig.responseJsonSchema`.
 */
import type { RequestView } from './request.ts';

export interface GeminiRequestView extends RequestView {
  /** Names of the function declarations the request offers (`write_file`, `run_shell_command`, …). */
  tools: ReadonlySet<string>;
  /** The JSON schema a utility call asks its answer to follow; undefined for a chat turn. */
  jsonSchema: unknown;
}

type Content = { role?: unknown; parts?: unknown };

const cwdPattern = /Workspace Directories:\*{0,2}\s*\n\s*- (\/[^\n]*)/;
const contextPattern = /^\s*<session_context>[\s\S]*<\/session_context>\s*$/;

function contentsOf(body: unknown): Content[] {
  const contents = body !== null && typeof body === 'object' ? (body as { contents?: unknown }).contents : undefined;
  return Array.isArray(contents) ? contents.filter((content): content is Content => content !== null && typeof content === 'object') : [];
}

function textsOf(content: unknown): string[] {
  const parts = content !== null && typeof content === 'object' ? (content as Content).parts : undefined;
  if (!Array.isArray(parts)) return [];
  return parts.flatMap((part: unknown) => {
    const text = (part ?? {}) as { text?: unknown; thought?: unknown };
    return typeof text.text === 'string' && text.thought !== true ? [text.text] : [];
  });
}

export function findGeminiCwd(body: unknown): string | null {
  const system = body !== null && typeof body === 'object' ? (body as { systemInstruction?: unknown }).systemInstruction : undefined;
  const texts = [...contentsOf(body).flatMap(textsOf), ...textsOf(system)];
  for (const text of texts) {
    const match = cwdPattern.exec(text);
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return null;
}

function toolsOf(body: unknown): Set<string> {
  const tools = body !== null && typeof body === 'object' ? (body as { tools?: unknown }).tools : undefined;
  if (!Array.isArray(tools)) return new Set();
  return new Set(
    tools.flatMap((tool: unknown) => {
      const declarations = (tool as { functionDeclarations?: unknown } | null)?.functionDeclarations;
      if (!Array.isArray(declarations)) return [];
      return declarations.flatMap((declaration: unknown) => {
        const name = (declaration as { name?: unknown } | null)?.name;
        return typeof name === 'string' ? [name] : [];
      });
    }),
  );
}

function jsonSchemaOf(body: unknown): unknown {
  const config = body !== null && typeof body === 'object' ? (body as { generationConfig?: unknown }).generationConfig : undefined;
  if (config === null || typeof config !== 'object') return undefined;
  const { responseJsonSchema, responseSchema } = config as { responseJsonSchema?: unknown; responseSchema?: unknown };
  return responseJsonSchema ?? responseSchema;
}

export function readGeminiRequest(body: unknown): GeminiRequestView {
  const contents = contentsOf(body);
  // The prompt: the first user text before any model answer that is not the session context.
  const firstAnswer = contents.findIndex((content) => content.role === 'model');
  const opening = firstAnswer === -1 ? contents : contents.slice(0, firstAnswer);
  const prompt = opening
    .filter((content) => content.role === 'user')
    .flatMap(textsOf)
    .filter((text) => !contextPattern.test(text))
    .join('\n');
  return {
    turn: contents.filter((content) => content.role === 'model').length,
    prompt,
    cwd: findGeminiCwd(body),
    tools: toolsOf(body),
    jsonSchema: jsonSchemaOf(body),
  };
}
