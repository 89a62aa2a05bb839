// The eval's standalone HTML report: the configurations' pass rates (what orch landed against pass@k), cost and
// time as inline SVG, and every cell. One file, no scripts, no network: it opens offline and can be mailed.
import type { CellResult, ConfigurationSummary } from './results.ts';
import { barChartSvg, escapeXml } from './svg-chart.ts';

export interface ReportInput {
  suite: string;
  scripted: boolean;
  summaries: ConfigurationSummary[];
  results: CellResult[];
  /** Tasks whose hidden check passes on their base already. */
  passingBases: string[];
  generatedAt: string;
}

const percent = (value: number): string => `${Math.round(value * 100)}%`;
const usd = (value: number): string => `$${value.toFixed(4)}`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const style = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}.scripted{background:#fff3cd;border:1px solid #e0c060;padding:8px 12px;border-radius:4px}
table{border-collapse:collapse;margin:12px 0 24px}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left}
th{background:#f3f3f3}.pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}
svg{display:block;margin:8px 0 24px}.chart-title{font-size:15px;font-weight:600}.group-label,.legend,.bar-value{font-size:12px}`;

function charts(input: ReportInput): string {
  const groups = (values: (s: ConfigurationSummary) => number[]) => input.summaries.map((s) => ({ label: s.configuration, values: values(s) }));
  return [
    barChartSvg({
      id: 'chart-pass-rate',
      title: 'Pass rate: what orch selected and landed, against pass@k (some attempt passes)',
      series: [
        { name: 'landed result passes the hidden check', color: '#2e7d32' },
        { name: 'pass@k: some attempt passes', color: '#90caf9' },
      ],
      groups: groups((s) => [s.passRate * 100, s.passAtKRate * 100]),
      format: (v) => `${Math.round(v)}%`,
      max: 100,
    }),
    barChartSvg({ id: 'chart-cost', title: 'Mean cost per run (USD)', series: [{ name: 'cost per run', color: '#ef6c00' }], groups: groups((s) => [s.meanCostUsd]), format: usd }),
    barChartSvg({ id: 'chart-time', title: 'Mean time per run (seconds)', series: [{ name: 'time per run', color: '#6a1b9a' }], groups: groups((s) => [s.meanDurationMs / 1000]), format: (v) => `${v.toFixed(1)} s` }),
  ].join('\n');
}

const mark = (ok: boolean | null): string => (ok === null ? '–' : ok ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>');

function configurationTable(summaries: ConfigurationSummary[]): string {
  const rows = summaries.map(
    (s) =>
      `<tr><td>${escapeXml(s.configuration)}</td><td>${s.cells}</td><td>${percent(s.passRate)}</td><td>${percent(s.passAtKRate)}</td><td>${s.meanAttempts.toFixed(1)}</td><td>${usd(s.meanCostUsd)}</td><td>${seconds(s.meanDurationMs)}</td><td>${s.runsSucceeded}</td></tr>`,
  );
  return `<table id="configurations"><tr><th>configuration</th><th>runs</th><th>pass rate (landed)</th><th>pass@k</th><th>attempts</th><th>cost / run</th><th>time / run</th><th>runs succeeded</th></tr>${rows.join('')}</table>`;
}

/** Which configuration solved which task: landed passes and pass@k out of the repetitions. */
function taskTable(input: ReportInput): string {
  const tasks = [...new Set(input.results.map((r) => r.task))];
  const configurations = input.summaries.map((s) => s.configuration);
  const rows = tasks.map((task) => {
    const cells = configurations.map((configuration) => {
      const runs = input.results.filter((r) => r.task === task && r.configuration === configuration);
      if (runs.length === 0) return '<td>–</td>';
      const landed = runs.filter((r) => r.resolved).length;
      const anyAttempt = runs.filter((r) => r.passAtK).length;
      return `<td data-task="${escapeXml(task)}" data-configuration="${escapeXml(configuration)}">${landed}/${runs.length} landed · ${anyAttempt}/${runs.length} pass@k</td>`;
    });
    return `<tr><td>${escapeXml(task)}</td>${cells.join('')}</tr>`;
  });
  return `<table id="tasks"><tr><th>task</th>${configurations.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

function cellTable(results: CellResult[]): string {
  const rows = results.map(
    (r) =>
      `<tr><td>${escapeXml(r.task)}</td><td>${escapeXml(r.configuration)}</td><td>${r.rep}</td><td>${escapeXml(r.runId ?? '–')}</td><td>${escapeXml(r.runStatus)}</td><td>${r.landed ? 'yes' : 'no'}</td><td>${mark(r.resolved)}</td><td>${r.attempts.map((a) => `#${a.n} ${mark(a.hiddenPassed)}${a.selected ? ' (landed)' : ''}`).join('<br>')}</td><td>${usd(r.costUsd)}</td><td>${seconds(r.durationMs)}</td></tr>`,
  );
  return `<table id="cells"><tr><th>task</th><th>configuration</th><th>rep</th><th>run</th><th>status</th><th>landed</th><th>hidden check</th><th>attempts (hidden check)</th><th>cost</th><th>time</th></tr>${rows.join('')}</table>`;
}

export function renderHtmlReport(input: ReportInput): string {
  const banner = input.scripted
    ? '<p class="scripted" id="scripted">The model in this eval is SCRIPTED: a fake model API answers with fixed scripts (an offline demo of orch eval). The agent CLI, git, the checks and the merges are real; the numbers say nothing about a real model.</p>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>orch eval: ${escapeXml(input.suite)}</title><style>${style}</style></head>
<body>
<h1>orch eval: ${escapeXml(input.suite)}</h1>
${banner}
${input.passingBases.length > 0 ? `<p class="scripted" id="passing-bases">Warning: the hidden check of ${input.passingBases.map(escapeXml).join(', ')} already passes on the task's base, so it measures nothing.</p>` : ''}
<p>${input.results.length} runs, generated ${escapeXml(input.generatedAt)}. A run passes when its task's hidden check passes on what orch landed
(on the base when nothing landed); pass@k when it passes on at least one attempt's commit.</p>
${configurationTable(input.summaries)}
${charts(input)}
<h2>Per task</h2>
${taskTable(input)}
<h2>Every run</h2>
${cellTable(input.results)}
</body></html>
`;
}
