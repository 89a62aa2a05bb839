// Prompt contracts live as markdown in src/prompts (copied to dist/prompts by the build); this fills them in.
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

/** The text of `src/prompts/<name>.md`, read once. */
export function loadPrompt(name: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new TypeError(`invalid prompt name: ${name}`);
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`../prompts/${name}.md`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * Replaces every `{{key}}` in one pass: a value is inserted verbatim (`$&` stays `$&`) and never expanded again,
 * so untrusted text holding `{{goal}}` stays as it is. A placeholder without a value is a bug: it throws.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([a-zA-Z][a-zA-Z0-9_]*)\}\}/g, (placeholder, key: string) => {
    const value = values[key];
    if (value === undefined) throw new TypeError(`prompt placeholder ${placeholder} has no value`);
    return value;
  });
}

export function renderPrompt(name: string, values: Readonly<Record<string, string>>): string {
  return fillTemplate(loadPrompt(name), values);
}

/**
 * Untrusted text in a code fence it cannot close: the fence is one backtick longer than the longest run of
 * backticks inside, so a diff or an agent's answer cannot end the data block and speak as the prompt.
 */
export function fence(text: string, info = 'text'): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${ticks}${info}\n${body}${ticks}`;
}
