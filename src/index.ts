// orch as a library: the strategy API for your own strategies, the engine, and the records it keeps.
export { z } from 'zod';
export { defineStrategy, parseAgentChoices } from './domain/strategy.ts';
export type { AgentChoice, AttemptRequest, JudgeOptions, Strategy, StrategyContext, StrategyOutcome, StrategyRunSettings } from './domain/strategy.ts';
export { selectWinner, defaultSelectionOrder, selectionCriteria } from './domain/selection.ts';
export type { Candidate, Selection, SelectionCriterion } from './domain/selection.ts';
export type { Attempt, CheckResult, Comparison, Merge, OrchEvent, Review, Run, Verdict } from './domain/records.ts';
export { OrchError } from './domain/errors.ts';
export type { AuditedRunReport, RunReport } from './domain/run-report.ts';
export { Engine, type RunHandle } from './engine/run/engine.ts';
export type { RunRequest } from './engine/run/run-request.ts';
