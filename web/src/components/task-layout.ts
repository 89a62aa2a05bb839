// Placing a task graph in layers: a task sits one column right of everything it waits for (and of its parent).
import type { Task } from 'orch/client';

/** What the task graph needs of a task (the API sends whole Task records). */
export type TaskNode = Pick<Task, 'id' | 'key' | 'title' | 'status' | 'dependsOn' | 'parentId'> & Partial<Pick<Task, 'reason' | 'type'>>;

export interface Placed {
  task: TaskNode;
  layer: number;
  row: number;
}

export interface Edge {
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
