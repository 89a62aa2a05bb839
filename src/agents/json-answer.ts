// Reading a structured answer out of an agent's final text: models wrap JSON in fences or prose, so this finds
// the object, then validates it; the error is written to be sent back to the model in a repair round.
import type { z } from 'zod';

export type JsonAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

/** Answers longer than this are searched only in their last part, where the final JSON sits. */
const maxScannedChars = 200_000;

/** The end index (exclusive) of the balanced `{…}` starting at `start`, or -1. Braces inside strings do not count. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Every top-level JSON object in the text, in order: a bare answer, one in a ```json fence, or one amid prose.
 * An object nested in another one found is not listed on its own.
 */
export function findJsonObjects(text: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const scanned = text.length > maxScannedChars ? text.slice(-maxScannedChars) : text;
  let i = scanned.indexOf('{');
  while (i !== -1) {
    const end = balancedEnd(scanned, i);
    let next = i + 1;
    if (end !== -1) {
      const value = tryParse(scanned.slice(i, end));
      if (value !== undefined) {
        found.push(value);
        next = end;
      }
    }
    i = scanned.indexOf('{', next);
  }
  return found;
}

function tryParse(candidate: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(candidate);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return `- ${where === '' ? '(the object)' : where}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * The answer's JSON object, validated. When the text holds several objects the last one that validates wins
 * (a model may show an example before its answer); when none does, the error describes the last one.
 */
export function parseJsonAnswer<T>(text: string, schema: z.ZodType<T>): JsonAnswer<T> {
  if (text.trim() === '') return { ok: false, error: 'The answer was empty: no JSON object was found.' };
  const objects = findJsonObjects(text);
  const last = objects.at(-1);
  if (last === undefined) return { ok: false, error: 'The answer contains no JSON object (or its JSON does not parse).' };
  for (let i = objects.length - 1; i >= 0; i--) {
    const parsed = schema.safeParse(objects[i]);
    if (parsed.success) return { ok: true, value: parsed.data };
  }
  const parsed = schema.safeParse(last);
  const detail = parsed.success ? '' : `\n${describeIssues(parsed.error)}`;
  return { ok: false, error: `The JSON object in the answer does not match the required format:${detail}` };
}
