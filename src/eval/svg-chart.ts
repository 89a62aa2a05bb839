// Horizontal grouped bar charts as SVG text, for the eval's HTML report: no library, no network, opens offline.
// One group per configuration, one bar per series; every bar is labelled with its value.

export interface ChartSeries {
  name: string;
  color: string;
}

export interface ChartGroup {
  label: string;
  values: number[];
}

export interface BarChart {
  id: string;
  title: string;
  series: ChartSeries[];
  groups: ChartGroup[];
  format(value: number): string;
  /** The axis maximum; default the largest value. */
  max?: number;
}

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const labelWidth = 260;
const plotWidth = 420;
const barHeight = 18;
const groupGap = 14;
const top = 34;

export function barChartSvg(chart: BarChart): string {
  const largest = Math.max(chart.max ?? 0, ...chart.groups.flatMap((g) => g.values));
  const scale = largest > 0 ? plotWidth / largest : 0;
  const groupHeight = chart.series.length * barHeight + groupGap;
  const legendY = top + chart.groups.length * groupHeight + 8;
  const height = legendY + 24;
  const width = labelWidth + plotWidth + 90;
  const parts: string[] = [];
  parts.push(`<text x="0" y="18" class="chart-title">${escapeXml(chart.title)}</text>`);
  chart.groups.forEach((group, g) => {
    const y0 = top + g * groupHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${y0 + (chart.series.length * barHeight) / 2 + 4}" text-anchor="end" class="group-label">${escapeXml(group.label)}</text>`);
    chart.series.forEach((series, s) => {
      const value = group.values[s] ?? 0;
      const y = y0 + s * barHeight;
      const w = Math.max(value * scale, value > 0 ? 1 : 0);
      parts.push(
        `<rect class="bar" data-series="${escapeXml(series.name)}" data-group="${escapeXml(group.label)}" data-value="${value}" x="${labelWidth}" y="${y + 2}" width="${w.toFixed(1)}" height="${barHeight - 4}" fill="${series.color}"><title>${escapeXml(`${group.label} — ${series.name}: ${chart.format(value)}`)}</title></rect>`,
      );
      parts.push(`<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + barHeight - 5}" class="bar-value">${escapeXml(chart.format(value))}</text>`);
    });
  });
  parts.push(`<line x1="${labelWidth}" y1="${top - 4}" x2="${labelWidth}" y2="${legendY - 8}" stroke="#888"/>`);
  let x = labelWidth;
  chart.series.forEach((series) => {
    parts.push(`<rect x="${x}" y="${legendY}" width="12" height="12" fill="${series.color}"/><text x="${x + 18}" y="${legendY + 11}" class="legend">${escapeXml(series.name)}</text>`);
    // Roughly 7 px a character at 12 px: the next entry starts clear of this one's text.
    x += 18 + series.name.length * 7 + 24;
  });
  return `<svg id="${escapeXml(chart.id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(chart.title)}">${parts.join('')}</svg>`;
}

export { escapeXml };
