// Text no program can take: a NUL byte ends a C string (argv, paths, environment), so git, a shell or the kernel
// would cut it or refuse it; an unpaired UTF-16 surrogate has no UTF-8 form, so it would reach files and agents as
// U+FFFD. Both can arrive only through JSON (the API, config files, a delegate call): a shell cannot pass them.
// And text made only of invisible characters says nothing, however long it is.

/** What is impossible in `text`, or undefined when nothing is. */
export function impossibleCharacter(text: string): string | undefined {
  if (text.includes('\0')) return 'a NUL byte';
  if (/\p{Surrogate}/u.test(text)) return 'an unpaired surrogate (text that is not valid Unicode)';
  return undefined;
}

// White space, control and format characters (zero-width spaces and joiners, direction marks and embeddings, the
// byte order mark) and the rest of Unicode's default-ignorable code points (fillers, variation selectors, tags).
const invisible = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]*$/u;

/** Whether `text` shows nothing at all: empty, or only white space and invisible characters. */
export function isInvisibleOnly(text: string): boolean {
  return invisible.test(text);
}

/** The first string in a JSON value (keys included) holding an impossible character: its path and the problem. */
export function findImpossibleText(value: unknown, path: readonly (string | number)[] = []): { path: (string | number)[]; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = impossibleCharacter(value);
    return problem === undefined ? undefined : { path: [...path], problem };
  }
  if (typeof value !== 'object' || value === null || path.length > 64) return undefined;
  for (const [key, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const inKey = typeof key === 'string' ? impossibleCharacter(key) : undefined;
    if (inKey !== undefined) return { path: [...path, key], problem: `${inKey} in the key` };
    const found = findImpossibleText(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}
