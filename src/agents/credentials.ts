// Credential pools (seed 002's auth rotation): per agent, the user's own login and/or API keys, tokens and base
// URLs from a credentials file. A rate-limited credential cools down and the next takes over; each may cap how
// many agents use it at once. Secrets live only in the file (0600) and in the agent's environment: names, never
// values, appear in logs, events and the store.
import { readFileSync, statSync } from 'node:fs';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
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

/**
 * Parse strict JSON; where it breaks, only the place. JSON.parse's message quotes the text around the error, which
 * here is a secret. An unterminated string is placed where the text ends (that is where it stopped being JSON).
 */
function parseStrictJson(text: string): { value: unknown } | { errorOffset: number } {
  const errors: ParseError[] = [];
  const value: unknown = parseJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return { value };
  return { errorOffset: printParseErrorCode(first.error) === 'UnexpectedEndOfString' ? text.length : first.offset };
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const json = parseStrictJson(text);
  if ('errorOffset' in json) {
    const { line, column } = lineAndColumn(text, json.errorOffset);
    throw new ConfigError(`${path} is not valid JSON: the first error is at line ${line}, column ${column}.`, { hint: 'Fix that place in the file (orch does not show the text: it holds secrets).' });
  }
  const parsed = credentialsFileSchema.safeParse(json.value);
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
