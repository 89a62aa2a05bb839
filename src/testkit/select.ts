// Picks, for one request, the script and the step of it that answers (the rules are in script.ts's doc comment).
import { createHash } from 'node:crypto';
import type { RequestView } from './request.ts';
import type { AnswerTurn, FailureTurn, Script } from './script.ts';

export type Step = { kind: 'answer'; turn: AnswerTurn } | { kind: 'end' } | FailureTurn;

export interface Selection {
  /** The answering script's name; null when there is none. */
  script: string | null;
  conversation: string;
  step: Step;
}

interface Segment {
  /** Failure turns served before the answer, in order. */
  failures: FailureTurn[];
  /** null: past the last answer, the conversation ends with "done". */
  answer: AnswerTurn | null;
}

function segmentsOf(script: Script): Segment[] {
  const segments: Segment[] = [];
  let failures: FailureTurn[] = [];
  for (const turn of script.turns) {
    if (turn.kind === 'answer') {
      segments.push({ failures, answer: turn });
      failures = [];
    } else {
      failures.push(turn);
    }
  }
  segments.push({ failures, answer: null });
  return segments;
}

export function conversationKey(view: RequestView): string {
  return createHash('sha256')
    .update(`${view.cwd ?? ''}\u0000${view.prompt}`)
    .digest('hex')
    .slice(0, 12);
}

function matches(script: Script, view: RequestView): boolean {
  const match = script.match;
  if (match === undefined) return false;
  if (match.prompt !== undefined && !view.prompt.includes(match.prompt)) return false;
  if (match.cwd !== undefined && !(view.cwd ?? '').includes(match.cwd)) return false;
  if (match.apiKey !== undefined && view.apiKey !== match.apiKey) return false;
  return true;
}

export class ScriptBook {
  readonly #scripts: { script: Script; segments: Segment[] }[];
  readonly #pool: number[];
  readonly #dealt = new Map<string, number>();
  readonly #failureHits = new Map<string, number>();

  constructor(scripts: readonly Script[]) {
    this.#scripts = scripts.map((script) => ({ script, segments: segmentsOf(script) }));
    this.#pool = scripts.flatMap((script, index) => (script.match === undefined ? [index] : []));
  }

  select(view: RequestView): Selection {
    const conversation = conversationKey(view);
    const chosen = this.#choose(view, conversation);
    if (chosen === undefined) return { script: null, conversation, step: { kind: 'end' } };
    const position = Math.min(view.turn, chosen.segments.length - 1);
    const segment = chosen.segments[position] ?? { failures: [], answer: null };
    // Counted per script and position, not per conversation: a resumed or retried session may reach the server
    // as a new conversation, and it must still find the failure used up.
    const hitKey = `${chosen.script.name}\u0000${position}`;
    let hits = this.#failureHits.get(hitKey) ?? 0;
    this.#failureHits.set(hitKey, hits + 1);
    for (const failure of segment.failures) {
      if (hits < failure.times) return { script: chosen.script.name, conversation, step: failure };
      hits -= failure.times;
    }
    const step: Step = segment.answer === null ? { kind: 'end' } : { kind: 'answer', turn: segment.answer };
    return { script: chosen.script.name, conversation, step };
  }

  #choose(view: RequestView, conversation: string): { script: Script; segments: Segment[] } | undefined {
    const matched = this.#scripts.find(({ script }) => matches(script, view));
    if (matched !== undefined) return matched;
    let index = this.#dealt.get(conversation);
    if (index === undefined) {
      index = this.#pool[Math.min(this.#dealt.size, this.#pool.length - 1)];
      if (index === undefined) return undefined;
      this.#dealt.set(conversation, index);
    }
    return this.#scripts[index];
  }
}
