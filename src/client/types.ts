// What the API takes and answers, as plain types for client code. They are the domain's (src/domain/api.ts), the
// same ones the server's route handlers are checked against; importing them brings in no code.
export type { ApiAnswer, ApiErrorBody, AttemptDetail, AttemptDiff, AttemptLogs, FileStat, ListRunsQuery, LogLine, StartRunBody, StrategyInfo } from '../domain/api.ts';
export type { Attempt, CheckResult, Comparison, DiffStat, Merge, OrchEvent, ProjectState, Review, Run, Task, Verdict } from '../domain/records.ts';
export type { AuditedRunReport, RunReport } from '../domain/run-report.ts';
export type { RunTimeline, TimelineLane, TimelinePhase, TimelinePhaseName } from '../domain/timeline.ts';
export type { AttemptStatus, RunStatus } from '../domain/status.ts';
export type { AttemptUsageEvent } from '../domain/usage-event.ts';
export type { AddBacklogTaskBody, CycleSummary, EditBacklogTaskBody, PortfolioStatus, ProjectStatus } from '../domain/portfolio-api.ts';
export type { BacklogStatus, BacklogTask, BacklogTaskType } from '../domain/backlog.ts';
