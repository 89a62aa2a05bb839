// Placing a plan run's task graph: dagre lays the tasks out left to right in layers (a task right of everything
// it waits for, and of its parent), orders each layer to cross fewer edges, and routes every edge around the
// boxes it passes, so an edge never seems to enter a box that is not its end.
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { Task } from 'orch/client';

/** What the task graph needs of a task (the API sends whole Task records). */
export type TaskNode = Pick<Task, 'id' | 'key' | 'title' | 'status' | 'dependsOn' | 'parentId'> & Partial<Pick<Task, 'reason' | 'type'>>;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Placed extends Box {
  task: TaskNode;
}

export interface Edge {
  from: Placed;
  to: Placed;
  kind: 'dep' | 'parent';
  /** From the edge of `from`'s box to the edge of `to`'s, around every other box. */
  points: { x: number; y: number }[];
}

export interface TaskLayout {
  nodes: Placed[];
  edges: Edge[];
  width: number;
  height: number;
}

export const nodeSize = { width: 220, height: 64 };

/** The task each dependency names. A dependency names a sibling: the planner's id under the parent's key
 * (`api/auth`) first — a top-level task of the same name is another task — then a key or id as given. */
export function predecessors(tasks: readonly TaskNode[]): Map<string, { task: TaskNode; kind: Edge['kind'] }[]> {
  const byRef = new Map<string, TaskNode>();
  for (const task of tasks) {
    byRef.set(task.key, task);
    byRef.set(task.id, task);
  }
  const keyOf = new Map(tasks.map((task) => [task.id, task.key]));
  const resolve = (task: TaskNode, ref: string): TaskNode | undefined => {
    const parentKey = task.parentId === null ? undefined : keyOf.get(task.parentId);
    const sibling = parentKey === undefined ? undefined : byRef.get(`${parentKey}/${ref}`);
    return sibling ?? byRef.get(ref);
  };
  return new Map(
    tasks.map((task) => {
      const deps = task.dependsOn.flatMap((ref) => {
        const dep = resolve(task, ref);
        return dep && dep.id !== task.id ? [{ task: dep, kind: 'dep' as const }] : [];
      });
      const parent = task.parentId === null ? undefined : byRef.get(task.parentId);
      return [task.id, [...deps, ...(parent ? [{ task: parent, kind: 'parent' as const }] : [])]];
    }),
  );
}

export function layoutTasks(tasks: readonly TaskNode[]): TaskLayout {
  const graph = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 64, edgesep: 12, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const task of tasks) graph.setNode(task.id, { ...nodeSize });
  const preds = predecessors(tasks);
  const kinds = new Map<string, Edge['kind']>();
  for (const task of tasks) {
    for (const pred of preds.get(task.id) ?? []) {
      const id = `${pred.task.id}>${task.id}`;
      if (kinds.has(id)) continue;
      kinds.set(id, pred.kind);
      graph.setEdge(pred.task.id, task.id);
    }
  }
  // A cycle (the planner's validation should prevent one) is broken by dagre, never looped on.
  dagre.layout(graph);

  const placed = new Map<string, Placed>();
  for (const task of tasks) {
    const node = graph.node(task.id);
    // dagre gives centres; boxes are drawn from their top-left corner.
    placed.set(task.id, { task, x: (node.x ?? 0) - nodeSize.width / 2, y: (node.y ?? 0) - nodeSize.height / 2, ...nodeSize });
  }
  const edges: Edge[] = graph.edges().flatMap((e) => {
    const from = placed.get(e.v);
    const to = placed.get(e.w);
    if (from === undefined || to === undefined) return [];
    const points = (graph.edge(e).points ?? []).map((p) => ({ x: p.x, y: p.y }));
    return [{ from, to, kind: kinds.get(`${e.v}>${e.w}`) ?? 'dep', points }];
  });
  const size = graph.graph();
  return { nodes: [...placed.values()], edges, width: size.width ?? 0, height: size.height ?? 0 };
}

/** An SVG path through the points, its corners rounded (quadratic curves through the midpoints). */
export function edgePath(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  if (rest.length <= 1) return `M${first.x},${first.y}${rest.map((p) => ` L${p.x},${p.y}`).join('')}`;
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i] as { x: number; y: number };
    const q = rest[i + 1] as { x: number; y: number };
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = rest.at(-1) as { x: number; y: number };
  return `${d} L${last.x},${last.y}`;
}
