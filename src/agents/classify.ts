// The one ladder that reads an agent's exit as ok, auth, rate_limited, budget, max_turns, transient or fatal.
// Each adapter brings only data: the error names, exit codes and message patterns its CLI uses.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentExit } from './adapter.ts';

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;
type Failure = Exclude<AgentClassification, 'ok'>;

export interface FailureRules {
  /** Message patterns per failure, tried in this order (auth, then rate_limited, then transient) over the
   * failure's text: the error result's messages and every line that was not JSON. */
  patterns?: { auth?: RegExp; rate_limited?: RegExp; transient?: RegExp };
  /** The CLI's own error names (an error result's subtype) that decide outright. */
  errorNames?: Partial<Record<Failure, readonly string[]>>;
  /** Exit codes the CLI keeps for failures of its own (after any error result's text could not say more). */
  exitCodes?: Readonly<Record<number, Failure>>;
  /** An HTTP status hidden in the exit code (Gemini CLI exits with the status, truncated to a byte). */
  statusFromExit?: ((exitCode: number | null) => number | null) | undefined;
  /** Without a result line, the agent's last words (its last text) count as the failure's text (a CLI killed while
   * it was saying why). */
  lastWords?: boolean;
  /** The exit code says whether the run failed; the output only says why. For a CLI that exits 0 after a run
   * whose model calls all failed and reports it only as an error line (Aider): a non-zero exit is fatal, and a
   * run without an error result is judged by its exit code alone. */
  exitCodeFirst?: boolean;
}

/** What an HTTP status says about a failure; undefined: nothing (a 400, a 404: the request itself was wrong). */
export function failureOfStatus(status: number | null | undefined): Failure | undefined {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status !== null && status !== undefined && (status >= 500 || status === 408)) return 'transient';
  return undefined;
}

function failureText(result: ResultEvent | undefined, events: readonly AgentEvent[], lastWords: boolean): string {
  const raw = events.flatMap((event) => (event.kind === 'raw' ? [event.text] : []));
  const said = result !== undefined ? [result.text, ...result.errors] : lastWords ? [events.findLast((event) => event.kind === 'text')?.text ?? ''] : [];
  return [...said, ...raw].join('\n');
}

const patternOrder = ['auth', 'rate_limited', 'transient'] as const;

export function classifyExit(rules: FailureRules, exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  const result = events.findLast((event): event is ResultEvent => event.kind === 'result');
  if (rules.exitCodeFirst === true && ((exit.exitCode !== null && exit.exitCode !== 0) || result?.isError !== true)) {
    return exit.exitCode === 0 ? 'ok' : 'fatal';
  }
  if (result !== undefined && !result.isError) return exit.exitCode === 0 ? 'ok' : 'fatal';

  const byExit = exit.exitCode === null ? undefined : rules.exitCodes?.[exit.exitCode];
  if (byExit !== undefined) return byExit;
  if (result !== undefined) {
    for (const [failure, names] of Object.entries(rules.errorNames ?? {})) if (names.includes(result.subtype)) return failure as Failure;
  }
  // The status before the text: a 429's message may also talk about keys or logins.
  const status = result?.apiErrorStatus ?? (result !== undefined && rules.statusFromExit !== undefined ? rules.statusFromExit(exit.exitCode) : null);
  const byStatus = failureOfStatus(status);
  if (byStatus !== undefined) return byStatus;
  const text = failureText(result, events, rules.lastWords === true);
  for (const failure of patternOrder) if (rules.patterns?.[failure]?.test(text) === true) return failure;
  if (result === undefined) {
    // Killed while the CLI was retrying the API: the last retry says why.
    const retry = events.findLast((event) => event.kind === 'retry');
    if (retry !== undefined) return failureOfStatus(retry.status) ?? 'transient';
  }
  return 'fatal';
}
