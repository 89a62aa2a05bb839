// Live tokens and cost of one invocation of an attempt's agent, added to what earlier invocations used: each model
// turn as the agent answers it (priced by its adapter: cost rises while the agent works, and is on the books
// however the invocation ends), replaced by the agent's own totals when it prints them. The session id at once.
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import type { Usage } from './contract.ts';

/** Results may come often (Aider prints totals after every reply): they are reported at most this often. */
const minIntervalMs = 500;

export interface UsageReport {
  /** `live`: the figures include turns the agent has not totalled itself yet (orch's estimate at list prices). */
  usage(usage: Usage, live: boolean): void;
  session(sessionId: string): void;
}

const zero: Usage = { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };

function add(a: Usage, b: Usage): Usage {
  return { turns: a.turns + b.turns, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, costUsd: a.costUsd + b.costUsd };
}

/** orch counts every input token (cached, cache-written) as input. */
function asUsage(usage: AgentUsage, turns: number, costUsd: number): Usage {
  return { turns, inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens, outputTokens: usage.outputTokens, costUsd };
}

export class UsageMeter {
  /** This invocation's figures as the agent last totalled them. */
  private totalled: Usage = zero;
  /** Turns seen since the agent's last total, by message id (the latest figures of each). */
  private readonly turns = new Map<string, Usage>();
  private sessionId: string | null;
  private dirty = false;
  private lastReport = 0;

  /** `before`: what earlier invocations of the same attempt used (a resumed session adds to it). */
  constructor(
    private readonly report: UsageReport,
    private readonly before: Usage & { sessionId: string | null },
  ) {
    this.sessionId = before.sessionId;
  }

  observe(event: AgentEvent): void {
    switch (event.kind) {
      case 'session':
        this.noteSession(event.sessionId);
        return;
      case 'turn':
        // A turn is money spent: reported at once, so a budget can stop the attempt before its next turn.
        this.turns.set(event.messageId, asUsage(event.usage, 1, event.costUsd));
        this.dirty = true;
        this.flush();
        return;
      case 'result':
        // The CLI's own totals for this invocation replace orch's estimates of the turns it covers.
        this.totalled = asUsage(event.usage, event.turns, event.costUsd);
        this.turns.clear();
        if (event.sessionId) this.noteSession(event.sessionId);
        this.dirty = true;
        if (Date.now() - this.lastReport >= minIntervalMs) this.flush();
        return;
      default:
        return;
    }
  }

  current(): Usage & { sessionId: string | null } {
    return { ...this.figures(), sessionId: this.sessionId };
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.lastReport = Date.now();
    this.report.usage(this.figures(), this.turns.size > 0);
  }

  private figures(): Usage {
    const { sessionId: _, ...before } = this.before;
    let total = add(before, this.totalled);
    for (const turn of this.turns.values()) total = add(total, turn);
    return total;
  }

  private noteSession(sessionId: string): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.report.session(sessionId); // a session id is what resume needs: report it at once
  }
}
