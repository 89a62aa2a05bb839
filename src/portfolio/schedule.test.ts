import { describe, expect, it } from 'vitest';
import { parsePortfolio, type PortfolioProject } from './config.ts';
import { firstTick, nextTick } from './schedule.ts';

const project = (fields: Record<string, unknown>): PortfolioProject => {
  const p = parsePortfolio(JSON.stringify({ projects: [{ name: 'p', path: '/p', ...fields }] }), 'p', '/').projects[0];
  if (p === undefined) throw new Error('no project');
  return p;
};
const at = (iso: string) => new Date(iso);

describe('schedule', () => {
  it('an interval counts from the last cycle start and skips ticks that passed during a cycle', () => {
    const p = project({ cycle_interval_minutes: 10 });
    expect(nextTick(p, at('2026-01-01T00:05:00Z'), at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:10:00.000Z');
    // A cycle that ran 25 minutes: the ticks at :10 and :20 came while it ran; the next is :30.
    expect(nextTick(p, at('2026-01-01T00:25:00Z'), at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:30:00.000Z');
  });

  it('a tick missed during downtime runs once at start, however many were missed', () => {
    const p = project({ cycle_interval_minutes: 10 });
    const now = at('2026-01-02T00:00:00Z');
    expect(firstTick(p, now, at('2026-01-01T00:00:00Z'))).toEqual(now);
    expect(nextTick(p, now, now).toISOString()).toBe('2026-01-02T00:10:00.000Z');
    expect(firstTick(p, at('2026-01-01T00:03:00Z'), at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:10:00.000Z');
  });

  it('a cron schedule follows croner', () => {
    const p = project({ schedule: '0 9 * * *' });
    expect(nextTick(p, at('2026-01-01T10:00:00Z'), null).getTime()).toBeGreaterThan(at('2026-01-01T10:00:00Z').getTime());
    const missed = firstTick(p, at('2026-01-03T10:00:00Z'), at('2026-01-01T09:00:00Z'));
    expect(missed).toEqual(at('2026-01-03T10:00:00Z'));
  });
});
