// A plan run's tasks as a layered DAG: columns by dependency depth, edges from what a task waits for.
import { useMemo } from 'react';
import type { TaskNode } from '../api/types.ts';

const nodeW = 210;
const nodeH = 54;
const gapX = 70;
const gapY = 18;
const pad = 12;

interface Placed {
  task: TaskNode;
  layer: number;
  row: number;
}

interface Edge {
  from: Placed;
  to: Placed;
  kind: 'dep' | 'parent';
}

export function layoutTasks(tasks: TaskNode[]): { nodes: Placed[]; edges: Edge[]; layers: number; rows: number } {
  const byRef = new Map<string, TaskNode>();
  for (const task of tasks) {
    byRef.set(task.key, task);
    byRef.set(task.id, task);
  }
  const keyOf = new Map(tasks.map((task) => [task.id, task.key]));
  // A dependency names a sibling: by key or id, or by the planner's id under the parent's key (`api/auth`).
  const resolve = (task: TaskNode, ref: string): TaskNode | undefined => {
    const parentKey = task.parentId === null ? undefined : keyOf.get(task.parentId);
    return byRef.get(ref) ?? (parentKey === undefined ? undefined : byRef.get(`${parentKey}/${ref}`));
  };
  const preds = (task: TaskNode): { task: TaskNode; kind: Edge['kind'] }[] => [
    ...task.dependsOn.flatMap((ref) => {
      const dep = resolve(task, ref);
      return dep ? [{ task: dep, kind: 'dep' as const }] : [];
    }),
    ...(task.parentId !== null && byRef.has(task.parentId) ? [{ task: byRef.get(task.parentId) as TaskNode, kind: 'parent' as const }] : []),
  ];

  const layerOf = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (task: TaskNode): number => {
    const known = layerOf.get(task.id);
    if (known !== undefined) return known;
    if (visiting.has(task.id)) return 0; // a cycle: the planner's validation should prevent it; do not loop
    visiting.add(task.id);
    const layer = Math.max(0, ...preds(task).map((p) => depth(p.task) + 1));
    visiting.delete(task.id);
    layerOf.set(task.id, layer);
    return layer;
  };
  tasks.forEach(depth);

  const layers: TaskNode[][] = [];
  for (const task of tasks) (layers[layerOf.get(task.id) ?? 0] ??= []).push(task);
  // Order each column by where its predecessors sit, so edges cross less.
  const rowOf = new Map<string, number>();
  const placed = new Map<string, Placed>();
  layers.forEach((column, layer) => {
    const weight = (task: TaskNode): number => {
      const rows = preds(task).map((p) => rowOf.get(p.task.id) ?? 0);
      return rows.length === 0 ? 0 : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    column
      .map((task, index) => ({ task, index, w: layer === 0 ? 0 : weight(task) }))
      .sort((a, b) => a.w - b.w || a.index - b.index)
      .forEach(({ task }, row) => {
        rowOf.set(task.id, row);
        placed.set(task.id, { task, layer, row });
      });
  });

  const edges: Edge[] = [];
  for (const node of placed.values()) {
    for (const pred of preds(node.task)) {
      const from = placed.get(pred.task.id);
      if (from) edges.push({ from, to: node, kind: pred.kind });
    }
  }
  return { nodes: [...placed.values()], edges, layers: layers.length, rows: Math.max(0, ...layers.map((c) => c.length)) };
}

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
