// Keeping secrets out of what orch records: an agent (or a check command) may print an API key it was given, and
// its output goes to log files, events and reports. Every occurrence of a secret value is replaced before any of
// that is written.

const secretName = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;
/** Shorter values would match ordinary text ('1', 'true'); no real secret is that short. */
const minSecretLength = 8;

export const redacted = '[redacted]';

/** The values of the variables whose names look secret (API keys, tokens, passwords), long enough to be one. */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && secretName.test(name) && value.length >= minSecretLength) values.add(value);
  }
  return [...values];
}

/** A function that replaces every occurrence of each value (of at least 8 characters) with `[redacted]`. */
export function makeRedactor(values: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...new Set(values.filter((v) => v.length >= minSecretLength))].sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (text) => text;
  const pattern = new RegExp(secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => (text.length < minSecretLength ? text : text.replace(pattern, redacted));
}
