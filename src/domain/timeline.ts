// A run seen in time: its lanes (one per attempt, one per task of a plan) cut into phases, and what they add up
// to. Computed from the event log alone (src/report/timeline.ts), so every number can be checked against it.
import { z } from 'zod';

/** What a lane is doing between two of its events. Colour and legend order of the charts follow this list. */
export const timelinePhases = [
  'queued', // waiting for a free agent slot (the run's agent limit)
  'preparing', // a slot is taken: worktree, credential, agent starting
  'credential_wait', // every credential of the agent rests after a rate limit
  'agent', // the agent works
  'backoff', // waiting before a retry
  'waiting', // done with one stage, the next has not begun (other attempts, selection)
  'checks', // the project's checks on the attempt's tree
  'review', // the AI reviewer
  'merge_queue', // waiting for the target branch's merge queue
  'merging', // merging into the target
  'merge_checks', // the checks on the merged tree
] as const;
export type TimelinePhaseName = (typeof timelinePhases)[number];

const phaseSchema = z.object({
  phase: z.enum(timelinePhases),
  startMs: z.number().describe("milliseconds from the run's first event"),
  endMs: z.number(),
  costUsd: z.number().describe("the lane's cost (USD) when the phase ended"),
});
export type TimelinePhase = z.infer<typeof phaseSchema>;

const resourcesSchema = z
  .object({
    samples: z.number().int(),
    peakRssBytes: z.number().describe("the largest resident memory of one agent's process tree in one sample"),
    meanRssBytes: z.number(),
    peakCpuPercent: z.number().describe('% of one core, between two samples'),
    meanCpuPercent: z.number(),
  })
  .nullable()
  .describe('memory and CPU of the agent process trees, sampled every few seconds (attempt.resources events); null: none sampled');
export type TimelineResources = z.infer<typeof resourcesSchema>;

const laneSchema = z.object({
  id: z.string().describe("the attempt's id, or task:<key> for a task's lane"),
  kind: z.enum(['attempt', 'task']),
  taskKey: z.string(),
  n: z.number().int().nullable().describe("the attempt's number within its task (null for a task lane)"),
  agent: z.string().nullable(),
  status: z.string().nullable(),
  dependsOn: z.array(z.string()).describe('task lanes: the keys of the tasks this one waited for'),
  startMs: z.number(),
  endMs: z.number(),
  costUsd: z.number(),
  phases: z.array(phaseSchema),
  resources: resourcesSchema,
});
export type TimelineLane = z.infer<typeof laneSchema>;

const analyticsSchema = z.object({
  wallMs: z.number(),
  busyAgentMs: z.number().describe("time agents held a slot working: attempts' agent phases plus reviews"),
  agentLimit: z.number().int().nullable().describe("the run's agent limit (limits.maxAgents or --max-agents), null for runs stored before it was kept"),
  parallelEfficiency: z.number().nullable().describe('busyAgentMs / (wallMs x agentLimit), 0..1'),
  criticalPath: z.object({ tasks: z.array(z.string()), ms: z.number() }).nullable().describe("a plan run's chain of tasks that decided when it ended"),
  phaseMs: z.record(z.enum(timelinePhases), z.number()).describe("each phase's time summed over every attempt lane"),
  slowestCheck: z.object({ name: z.string(), durationMs: z.number(), attemptId: z.string().nullable(), onMergedTree: z.boolean() }).nullable(),
  mostExpensiveAttempt: z.object({ attemptId: z.string(), taskKey: z.string(), n: z.number().int(), costUsd: z.number() }).nullable(),
  costUsd: z.number(),
  resources: resourcesSchema,
  peakTotalRssBytes: z.number().nullable().describe('the most memory all running agents held at once (their latest samples added up)'),
});
export type TimelineAnalytics = z.infer<typeof analyticsSchema>;

export const runTimelineSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  lanes: z.array(laneSchema),
  analytics: analyticsSchema,
});
export type RunTimeline = z.infer<typeof runTimelineSchema>;

/** A timeline with nothing in it (a run with no events yet; fakes of the strategy context). */
export function emptyTimeline(runId: string): RunTimeline {
  const phaseMs = Object.fromEntries(timelinePhases.map((p) => [p, 0])) as Record<TimelinePhaseName, number>;
  const at = new Date(0).toISOString();
  return {
    runId,
    startedAt: at,
    endedAt: at,
    lanes: [],
    analytics: { wallMs: 0, busyAgentMs: 0, agentLimit: null, parallelEfficiency: null, criticalPath: null, phaseMs, slowestCheck: null, mostExpensiveAttempt: null, costUsd: 0, resources: null, peakTotalRssBytes: null },
  };
}
