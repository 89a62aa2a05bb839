// A plan run's tasks as a layered DAG: columns by dependency depth, edges from what a task waits for.
import { useMemo } from 'react';
import type { TaskNode } from './task-layout.ts';
import { layoutTasks } from './task-layout.ts';

const nodeW = 210;
const nodeH = 54;
const gapX = 70;
const gapY = 18;
const pad = 12;

const x = (layer: number): number => pad + layer * (nodeW + gapX);
const y = (row: number): number => pad + row * (nodeH + gapY);
const clip = (text: string, n: number): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export function TaskGraph({ tasks }: { tasks: TaskNode[] }) {
  const layout = useMemo(() => layoutTasks(tasks), [tasks]);
  const width = pad * 2 + layout.layers * nodeW + Math.max(0, layout.layers - 1) * gapX;
  const height = pad * 2 + layout.rows * nodeH + Math.max(0, layout.rows - 1) * gapY;
  return (
    <div className="task-graph" data-testid="task-graph">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="task graph">
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="edge-head" />
          </marker>
        </defs>
        {layout.edges.map((edge, i) => {
          const x1 = x(edge.from.layer) + nodeW;
          const y1 = y(edge.from.row) + nodeH / 2;
          const x2 = x(edge.to.layer);
          const y2 = y(edge.to.row) + nodeH / 2;
          const mid = (x1 + x2) / 2;
          return <path key={i} className={`edge edge-${edge.kind}`} d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 2},${y2}`} markerEnd="url(#arrow)" />;
        })}
        {layout.nodes.map(({ task, layer, row }) => (
          <g key={task.id} transform={`translate(${x(layer)},${y(row)})`} className={`node node-${task.status}`}>
            <title>{`${task.key}: ${task.title}\n${task.status}${task.reason ? ` (${task.reason})` : ''}`}</title>
            <rect width={nodeW} height={nodeH} rx="8" />
            <rect width="5" height={nodeH} rx="2" className="node-bar" />
            <text x="14" y="21" className="node-title">
              {clip(task.title, 28)}
            </text>
            <text x="14" y="40" className="node-meta">
              {clip(task.key, 16)} · {task.status}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
