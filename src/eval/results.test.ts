import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempRepos } from '../../test/helpers/git-fixture.ts';
import { barChartSvg } from './svg-chart.ts';
import { appendResult, readResults, resultsFile, summarise, type CellResult } from './results.ts';

const temp = useTempRepos();

const result = (over: Partial<CellResult>): CellResult => ({
  cell: 't|claude|-|single|0',
  task: 't',
  agent: 'claude',
  model: null,
  strategy: 'single',
  configuration: 'claude single',
  rep: 0,
  taskHash: 'h1',
  scripted: false,
  runId: 'run_1',
  runStatus: 'succeeded',
  landed: true,
  resolved: true,
  passAtK: true,
  attempts: [{ id: 'att_1', n: 1, checksPassed: true, hiddenPassed: true, selected: true }],
  costUsd: 0.5,
  durationMs: 1000,
  hiddenOutput: '',
  error: null,
  finishedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('eval results', () => {
  it('keeps finished cells across a crash: a half-written last line is skipped, the rest read back', async () => {
    const dir = await temp.dir();
    appendResult(dir, result({}));
    appendResult(dir, result({ cell: 't|claude|-|single|1', rep: 1, resolved: false }));
    appendFileSync(resultsFile(dir), '{"cell": "t|claude|-|single|2", "task"');
    expect(readResults(dir).map((r) => r.cell)).toEqual(['t|claude|-|single|0', 't|claude|-|single|1']);
  });

  it('summarises per configuration: pass rate of what landed, pass@k, mean cost and time', () => {
    const summaries = summarise([
      result({}),
      result({ cell: 'b', resolved: false, passAtK: true, costUsd: 1.5, durationMs: 3000, error: 'checks failed' }),
      result({ cell: 'c', configuration: 'claude best-of-n', strategy: 'best-of-n', resolved: false, passAtK: false }),
    ]);
    expect(summaries[0]).toMatchObject({ configuration: 'claude single', cells: 2, passRate: 0.5, passAtKRate: 1, meanCostUsd: 1, meanDurationMs: 2000, runsSucceeded: 1 });
    expect(summaries[1]).toMatchObject({ configuration: 'claude best-of-n', cells: 1, passRate: 0, passAtKRate: 0 });
  });

  it('draws a bar per group and series, scaled to the maximum, with labels escaped', () => {
    const svg = barChartSvg({
      id: 'c',
      title: 'Pass <rate>',
      series: [{ name: 'landed', color: '#000' }, { name: 'pass@k', color: '#999' }],
      groups: [{ label: 'a & b', values: [50, 100] }],
      format: (v) => `${v}%`,
      max: 100,
    });
    expect(svg).toContain('Pass &#60;rate&#62;');
    expect(svg).toContain('data-group="a &#38; b"');
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
    expect(svg).toContain('width="210.0"');
    expect(svg).toContain('width="420.0"');
  });
});
