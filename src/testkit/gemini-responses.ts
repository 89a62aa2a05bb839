// The wire format of the scripted Gemini server: GenerateContentResponse objects, their SSE chunks, error bodies,
// and the JSON answers to Gemini CLI's utility calls.
import { toGeminiCall } from './gemini-tools.ts';
import { defaultUsage, doneTurn, type AnswerTurn, type Block, type ScriptError, type ScriptUsage } from './script.ts';
import { substituteCwd } from './substitute.ts';

export type GeminiPart = { text: string } | { functionCall: { id: string; name: string; args: Record<string, unknown> } };

export interface GeminiUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  cachedContentTokenCount?: number;
}

export interface GeminiResponse {
  candidates: { content: { role: 'model'; parts: GeminiPart[] }; finishReason?: string; index: 0 }[];
  usageMetadata?: GeminiUsage;
  modelVersion: string;
  responseId: string;
}

export interface GeminiContext {
  /** Unique per request: function call ids derive from it. */
  responseId: string;
  /** The model named in the request path; reported back as `modelVersion` (Gemini CLI keys its stats by it). */
  model: string;
  cwd: string | null;
}

/**
 * The Gemini API counts cached input inside `promptTokenCount`; scripts give uncached input in the Messages API's
 * words, so cached and cache-written tokens are added in.
 */
export function geminiUsage(usage: ScriptUsage): GeminiUsage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const prompt = usage.input_tokens + cached + (usage.cache_creation_input_tokens ?? 0);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: usage.output_tokens,
    totalTokenCount: prompt + usage.output_tokens,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
  };
}

function toPart(block: Block, index: number, context: GeminiContext): GeminiPart {
  if (block.type === 'text') return { text: substituteCwd(block.text, context.cwd) as string };
  const call = toGeminiCall(block.name, substituteCwd(block.input, context.cwd) as Record<string, unknown>);
  return { functionCall: { id: block.id ?? `call_${context.responseId}_${index}`, name: call.name, args: call.args } };
}

/** The response for an answer turn; `null` is the "done" that ends a script. */
export function buildGeminiResponse(turn: AnswerTurn | null, context: GeminiContext): GeminiResponse {
  const answer = turn ?? doneTurn;
  const finishReason = answer.stopReason === 'max_tokens' ? 'MAX_TOKENS' : 'STOP';
  return {
    candidates: [{ content: { role: 'model', parts: answer.blocks.map((block, index) => toPart(block, index, context)) }, finishReason, index: 0 }],
    usageMetadata: geminiUsage(answer.usage ?? defaultUsage),
    modelVersion: context.model,
    responseId: context.responseId,
  };
}

const textChunk = 64;

/**
 * The chunks `streamGenerateContent?alt=sse` sends: texts in pieces, each function call whole, then a last chunk with
 * the finish reason and the usage.
 */
export function streamChunks(response: GeminiResponse): GeminiResponse[] {
  const candidate = response.candidates[0];
  const { usageMetadata, ...base } = response;
  const chunk = (parts: GeminiPart[], last: boolean): GeminiResponse => ({
    ...base,
    candidates: [{ content: { role: 'model', parts }, ...(last && candidate?.finishReason !== undefined ? { finishReason: candidate.finishReason } : {}), index: 0 }],
    ...(last && usageMetadata !== undefined ? { usageMetadata } : {}),
  });
  const parts = (candidate?.content.parts ?? []).flatMap((part): GeminiPart[] => {
    if (!('text' in part)) return [part];
    const pieces: GeminiPart[] = [];
    for (let at = 0; at < part.text.length; at += textChunk) pieces.push({ text: part.text.slice(at, at + textChunk) });
    return pieces;
  });
  const chunks = parts.map((part, index) => chunk([part], index === parts.length - 1));
  return chunks.length > 0 ? chunks : [chunk([], true)];
}

export function encodeGeminiSse(chunk: GeminiResponse): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function geminiErrorBody(code: number, message: string, status?: string, details: unknown[] = []): string {
  return JSON.stringify({ error: { code, message, status: status ?? statusNames[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'), details } });
}

/**
 * `{"error":{code,message,status,details}}` as Google APIs send it. A scripted `type` is the `status` string; a
 * `retryAfter` becomes a RetryInfo detail (which Gemini CLI honours) besides the `retry-after` header.
 */
export function scriptedGeminiErrorBody(error: ScriptError): string {
  const details = error.retryAfter === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfter}s` }];
  const status = error.type ?? statusNames[error.status];
  return geminiErrorBody(error.status, error.message ?? `scripted ${status ?? 'error'} (${error.status})`, status, details);
}

type Schema = { type?: unknown; properties?: unknown; enum?: unknown; items?: unknown };

/** Answers the router and the next-speaker check tell apart by field name; anything else gets a placeholder. */
const knownFields: Record<string, unknown> = {
  complexity_score: 1,
  complexity_reasoning: 'Scripted: a simple task.',
  next_speaker: 'user',
  reasoning: 'Scripted: the turn is complete.',
};

/** A value that satisfies `schema`: what a utility call (routing, next-speaker check) gets from the scripted model. */
export function jsonForSchema(schema: unknown, field?: string): unknown {
  if (field !== undefined && field in knownFields) return knownFields[field];
  const { type, properties, enum: choices, items } = (schema ?? {}) as Schema;
  if (Array.isArray(choices) && choices.length > 0) return choices[0];
  switch (typeof type === 'string' ? type.toLowerCase() : 'object') {
    case 'string':
      return 'scripted';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return items === undefined ? [] : [jsonForSchema(items)];
    default: {
      const entries = properties !== null && typeof properties === 'object' ? Object.entries(properties) : [];
      return Object.fromEntries(entries.map(([key, value]) => [key, jsonForSchema(value, key)]));
    }
  }
}
