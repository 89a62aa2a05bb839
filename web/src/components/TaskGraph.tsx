// A plan run's tasks as a DAG (laid out by task-layout.ts). Each box's text is HTML inside the SVG, so a long
// title wraps to two lines and ends in an ellipsis inside its box instead of running over the next one.
import { useMemo } from 'react';
import type { TaskNode } from './task-layout.ts';
import { edgePath, layoutTasks } from './task-layout.ts';

export function TaskGraph({ tasks }: { tasks: TaskNode[] }) {
  const layout = useMemo(() => layoutTasks(tasks), [tasks]);
  return (
    <div className="task-graph" data-testid="task-graph">
      <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label="task graph">
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="edge-head" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path
            key={`${edge.from.task.id}>${edge.to.task.id}`}
            className={`edge edge-${edge.kind}`}
            data-from={edge.from.task.key}
            data-to={edge.to.task.key}
            d={edgePath(edge.points)}
            markerEnd="url(#arrow)"
          />
        ))}
        {layout.nodes.map(({ task, x, y, width, height }) => (
          <g key={task.id} transform={`translate(${x},${y})`} className={`node node-${task.status}`} data-task={task.key}>
            <title>{`${task.key}: ${task.title}\n${task.status}${task.reason ? ` (${task.reason})` : ''}`}</title>
            <rect width={width} height={height} rx="8" />
            <rect width="5" height={height} rx="2" className="node-bar" />
            <foreignObject x="12" y="6" width={width - 18} height={height - 12}>
              <div className="node-text">
                <div className="node-title">{task.title}</div>
                <div className="node-meta">
                  <span className="node-key">{task.key}</span> · {task.status}
                </div>
              </div>
            </foreignObject>
          </g>
        ))}
      </svg>
    </div>
  );
}
