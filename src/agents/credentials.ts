// Credential pools (seed 002's auth rotation): per agent, the user's own login and/or API keys, tokens and base
// URLs from a credentials file. A rate-limited credential cools down and the next takes over; each may cap how
// many agents use it at once. Secrets live only in the file (0600) and in the agent's environment: names, never
// values, appear in logs, events and the store.
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../domain/errors.ts';

export const credentialModes = ['login-first', 'keys-first', 'keys-only'] as const;
export type CredentialMode = (typeof credentialModes)[number];

const credentialSchema = z
  .object({
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'names are letters, digits, . _ -'),
    env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'environment variable names'), z.string()),
    maxConcurrent: z.number().int().positive().optional(),
  })
  .strict();

export const credentialsFileSchema = z.record(
  z.string(),
  z.object({ mode: z.enum(credentialModes).default('login-first'), credentials: z.array(credentialSchema).default([]) }).strict(),
);
export type CredentialsFile = z.infer<typeof credentialsFileSchema>;

export interface Credential {
  name: string;
  env: Record<string, string>;
  maxConcurrent?: number | undefined;
}

/** 1-based line and column of an offset into a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The offset of the first place a text stops being JSON (its length when it ends too early). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  class Stop extends Error {}
  const stop = (): never => {
    throw new Stop();
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string) => {
    for (const char of word) if (text[i] === char) i++;
    else stop();
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const char = text.charAt(i);
      if (i >= text.length || char < ' ') stop();
      if (char === '"') return void i++;
      if (char === '\\') {
        i++;
        if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++) if (/[0-9a-fA-F]/.test(text.charAt(i))) i++;
          else stop();
        } else if ('"\\/bfnrt'.includes(text.charAt(i)) && i < text.length) i++;
        else stop();
      } else i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (match === null || match[0] === '' || match[0] === '-') stop();
    i += match?.[0].length ?? 0;
  };
  const value = (): void => {
    space();
    const char = text.charAt(i);
    if (char === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') stop();
        string();
        space();
        if (text[i] !== ':') stop();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else stop();
      }
    }
    if (char === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else stop();
      }
    }
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    number();
  };
  try {
    value();
    space();
    return i;
  } catch (error) {
    if (error instanceof Stop) return Math.min(i, text.length);
    throw error;
  }
}

/** The user's own login: nothing added to the environment. */
export const loginCredential: Credential = { name: 'login', env: {} };

/** Read the credentials file; refuse one that others can read. A missing file means: the login only. */
export function loadCredentialsFile(path: string): CredentialsFile {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return {};
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(`${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); it holds secrets.`, { hint: `Run: chmod 600 ${path}` });
  }
  let raw: unknown;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
    raw = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text around the error, which here is a secret: say only where it is.
    if (!(error instanceof SyntaxError)) throw new ConfigError(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    throw new ConfigError(`${path} is not valid JSON: the first error is at line ${line}, column ${column}.`, { hint: 'Fix that place in the file (orch does not show the text: it holds secrets).' });
  }
  const parsed = credentialsFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Paths only: a message must never echo a secret value back.
    throw new ConfigError(`${path} is invalid:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

export function orderedCredentials(mode: CredentialMode, keys: readonly Credential[]): Credential[] {
  switch (mode) {
    case 'login-first':
      return [loginCredential, ...keys];
    case 'keys-first':
      return [...keys, loginCredential];
    case 'keys-only':
      return [...keys];
  }
}

export type Lease = { credential: Credential; release(): void };

/** One agent's credentials: which may be used now, which are cooling down after a rate limit. */
export class CredentialPool {
  private readonly inUse = new Map<string, number>();
  private readonly coolingUntil = new Map<string, number>();

  constructor(
    readonly agent: string,
    readonly credentials: readonly Credential[],
  ) {}

  /** The first credential not cooling down and under its cap, or how long until one may be: `cooling` says
   * whether every credential is resting after a rate limit (rather than merely busy up to its cap). */
  tryAcquire(now = Date.now()): Lease | { waitMs: number; cooling: boolean } {
    let soonest = Number.POSITIVE_INFINITY;
    let busy = false;
    for (const credential of this.credentials) {
      const until = this.coolingUntil.get(credential.name) ?? 0;
      if (until > now) {
        soonest = Math.min(soonest, until - now);
        continue;
      }
      const used = this.inUse.get(credential.name) ?? 0;
      if (credential.maxConcurrent !== undefined && used >= credential.maxConcurrent) {
        soonest = Math.min(soonest, 1000);
        busy = true;
        continue;
      }
      this.inUse.set(credential.name, used + 1);
      let released = false;
      return {
        credential,
        release: () => {
          if (released) return;
          released = true;
          this.inUse.set(credential.name, (this.inUse.get(credential.name) ?? 1) - 1);
        },
      };
    }
    return { waitMs: Number.isFinite(soonest) ? soonest : 1000, cooling: !busy };
  }

  coolDown(name: string, forMs: number, now = Date.now()): void {
    this.coolingUntil.set(name, Math.max(this.coolingUntil.get(name) ?? 0, now + forMs));
  }
}
