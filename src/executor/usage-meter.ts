// Live tokens and cost of one attempt, reported at most a few times a second; its session id at once.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { Usage } from './contract.ts';

const minIntervalMs = 500;

export interface UsageReport {
  usage(usage: Usage): void;
  session(sessionId: string): void;
}

export class UsageMeter {
  private usage: Usage;
  private sessionId: string | null;
  private dirty = false;
  private lastReport = 0;

  /** `before`: what earlier invocations of the same attempt used (a resumed session adds to it). */
  constructor(
    private readonly report: UsageReport,
    private readonly before: Usage & { sessionId: string | null },
  ) {
    const { sessionId, ...usage } = before;
    this.usage = usage;
    this.sessionId = sessionId;
  }

  observe(event: AgentEvent): void {
    if (event.kind === 'session') {
      this.noteSession(event.sessionId);
      return;
    }
    if (event.kind !== 'result') return;
    // The result event carries the CLI's own totals: take them rather than summing partial usage.
    this.usage = {
      turns: this.before.turns + event.turns,
      inputTokens: this.before.inputTokens + event.usage.inputTokens + event.usage.cacheReadTokens + event.usage.cacheWriteTokens,
      outputTokens: this.before.outputTokens + event.usage.outputTokens,
      costUsd: this.before.costUsd + event.costUsd,
    };
    if (event.sessionId) this.noteSession(event.sessionId);
    this.dirty = true;
    if (Date.now() - this.lastReport >= minIntervalMs) this.flush();
  }

  current(): Usage & { sessionId: string | null } {
    return { ...this.usage, sessionId: this.sessionId };
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.lastReport = Date.now();
    this.report.usage(this.usage);
  }

  private noteSession(sessionId: string): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.report.session(sessionId); // a session id is what resume needs: report it at once
  }
}
