// The eval's results as a terminal table: one row per configuration.
import type { ConfigurationSummary } from './results.ts';

const percent = (value: number): string => `${Math.round(value * 100)}%`;

export function resultsTable(summaries: readonly ConfigurationSummary[]): string {
  const header = ['configuration', 'runs', 'pass', 'pass@k', 'attempts', 'cost/run', 'time/run'];
  const rows = summaries.map((s) => [
    s.configuration,
    String(s.cells),
    percent(s.passRate),
    percent(s.passAtKRate),
    s.meanAttempts.toFixed(1),
    `$${s.meanCostUsd.toFixed(4)}`,
    `${(s.meanDurationMs / 1000).toFixed(1)}s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
