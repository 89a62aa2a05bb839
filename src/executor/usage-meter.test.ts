import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import type { Usage } from './contract.ts';
import { UsageMeter } from './usage-meter.ts';

const tokens = (input: number, output: number): AgentUsage => ({ inputTokens: input, outputTokens: output, cacheReadTokens: 0, cacheWriteTokens: 0 });
const turn = (id: string, input: number, output: number, costUsd: number): AgentEvent => ({ kind: 'turn', messageId: id, model: 'm', usage: tokens(input, output), costUsd });
const result = (turns: number, costUsd: number): AgentEvent => ({
  kind: 'result',
  isError: false,
  subtype: 'success',
  turns,
  costUsd,
  usage: tokens(30, 3),
  sessionId: 's-1',
  durationMs: 1,
  permissionDenials: [],
  apiErrorStatus: null,
  errors: [],
  text: '',
});

function meter(before: Usage = { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }) {
  const reports: { usage: Usage; live: boolean }[] = [];
  const sessions: string[] = [];
  const m = new UsageMeter({ usage: (usage, live) => reports.push({ usage, live }), session: (id) => sessions.push(id) }, { ...before, sessionId: null });
  return { m, reports, sessions };
}

describe('UsageMeter', () => {
  it('reports every turn at once, a message counted once however many lines name it', () => {
    const { m, reports } = meter();
    m.observe(turn('a', 10, 1, 0.1));
    m.observe(turn('a', 10, 5, 0.15)); // the same message, its end
    m.observe(turn('b', 20, 2, 0.2));
    expect(reports.map((r) => r.usage)).toEqual([
      { turns: 1, inputTokens: 10, outputTokens: 1, costUsd: 0.1 },
      { turns: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.15 },
      { turns: 2, inputTokens: 30, outputTokens: 7, costUsd: (expect.closeTo(0.35, 9) as unknown) },
    ]);
    expect(reports.every((r) => r.live)).toBe(true);
  });

  it("takes the agent's own totals over its estimates, on top of what earlier invocations used", () => {
    const { m, reports, sessions } = meter({ turns: 4, inputTokens: 100, outputTokens: 10, costUsd: 1 });
    m.observe(turn('a', 10, 1, 0.1));
    m.observe(turn('b', 20, 2, 0.2));
    m.observe(result(2, 0.33));
    m.flush();
    expect(reports.at(-1)).toEqual({ usage: { turns: 6, inputTokens: 130, outputTokens: 13, costUsd: 1.33 }, live: false });
    expect(m.current()).toMatchObject({ turns: 6, costUsd: 1.33, sessionId: 's-1' });
    expect(sessions).toEqual(['s-1']);
  });

  it('keeps the turns of an invocation that ends without totals (killed, interrupted)', () => {
    const { m } = meter({ turns: 1, inputTokens: 5, outputTokens: 5, costUsd: 0.05 });
    m.observe(turn('a', 10, 1, 0.1));
    m.observe(turn('b', 20, 2, 0.2));
    expect(m.current()).toMatchObject({ turns: 3, inputTokens: 35, outputTokens: 8, costUsd: (expect.closeTo(0.35, 9) as unknown) });
  });
});
