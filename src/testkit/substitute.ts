// `{{cwd}}` in scripted texts and tool inputs becomes the working directory the request names.

export function substituteCwd(value: unknown, cwd: string | null): unknown {
  if (cwd === null) return value;
  if (typeof value === 'string') return value.replaceAll('{{cwd}}', cwd);
  if (Array.isArray(value)) return value.map((item) => substituteCwd(item, cwd));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteCwd(item, cwd)]));
  }
  return value;
}
