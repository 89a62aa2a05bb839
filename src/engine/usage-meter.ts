// Live tokens and cost of one attempt, written to the store at most a few times a second.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AttemptUsage } from '../store/store.ts';

const minIntervalMs = 500;

export class UsageMeter {
  private usage: AttemptUsage;
  private dirty = false;
  private lastWrite = 0;

  /** `before`: what earlier invocations of the same attempt used (a resumed session adds to it). */
  constructor(
    private readonly write: (usage: AttemptUsage) => void,
    private readonly before: AttemptUsage = { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, sessionId: null },
  ) {
    this.usage = { ...before };
  }

  observe(event: AgentEvent): void {
    if (event.kind === 'session') {
      this.usage.sessionId = event.sessionId;
      this.dirty = true;
      this.flush(); // a session id is what resume needs: store it at once
      return;
    }
    if (event.kind !== 'result') return;
    // The result event carries the CLI's own totals: take them rather than summing partial usage.
    this.usage = {
      turns: this.before.turns + event.turns,
      inputTokens: this.before.inputTokens + event.usage.inputTokens + event.usage.cacheReadTokens + event.usage.cacheWriteTokens,
      outputTokens: this.before.outputTokens + event.usage.outputTokens,
      costUsd: this.before.costUsd + event.costUsd,
      sessionId: event.sessionId ?? this.usage.sessionId ?? null,
    };
    this.dirty = true;
    if (Date.now() - this.lastWrite >= minIntervalMs) this.flush();
  }

  current(): AttemptUsage {
    return this.usage;
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.lastWrite = Date.now();
    this.write(this.usage);
  }
}
