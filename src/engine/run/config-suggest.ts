// "Did you mean": an unknown config key next to the key orch knows at the same place. orch's config keys are
// camelCase; a snake_case spelling (`merge_via`, as issues and other tools write it) or a typo gets the right name.
import type { z } from 'zod';

interface Inspectable {
  def?: { innerType?: unknown; in?: unknown; shape?: Record<string, unknown> };
  shape?: Record<string, unknown>;
}

/** Through optional, default, prefault and pipe wrappers to the schema they hold. */
function unwrap(schema: unknown): Inspectable | undefined {
  let current = schema as Inspectable | undefined;
  for (let depth = 0; depth < 10 && current?.def !== undefined && (current.def.innerType ?? current.def.in) !== undefined; depth++) {
    current = (current.def.innerType ?? current.def.in) as Inspectable;
  }
  return current;
}

function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) current = unwrap(current?.shape?.[String(segment)]);
  return Object.keys(current?.shape ?? {});
}

const camel = (key: string): string => key.replace(/[_-]+([a-zA-Z0-9])/g, (_match, next: string) => next.toUpperCase());

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The known key an unknown one most likely means, or undefined. */
export function suggestKey(schema: z.ZodType, path: readonly PropertyKey[], unknown: string): string | undefined {
  const known = keysAt(schema, path);
  const wanted = camel(unknown).toLowerCase();
  return known.find((key) => key.toLowerCase() === wanted) ?? known.find((key) => distance(key.toLowerCase(), unknown.toLowerCase()) <= 2);
}

/** Zod's issues, each unknown key with the name orch knows there. */
export function withKeySuggestions(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): string[] {
  const notes: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) {
      const suggestion = suggestKey(schema, issue.path, key);
      const where = [...issue.path.map(String), suggestion ?? ''].filter((part) => part !== '').join('.');
      const why = /[_-]/.test(key) ? " orch's config keys are camelCase." : '';
      if (suggestion !== undefined) notes.push(`  "${key}" is not a setting; did you mean "${suggestion}" (${where})?${why}`);
    }
  }
  return notes;
}
