// The store: one SQLite database under ORCH_HOME, reached through one repository per record kind.
import { ApiKeysRepo } from './api-keys.ts';
import { AttemptsRepo } from './attempts.ts';
import { BacklogRepo } from './backlog.ts';
import { CyclesRepo } from './cycles.ts';
import { ExternalChanges } from './change-signal.ts';
import { StoreCore } from './database.ts';
import { EventsRepo } from './events.ts';
import { JudgementsRepo } from './judgements.ts';
import { ProjectsRepo } from './projects.ts';
import { RunsRepo } from './runs.ts';
import { StepsRepo } from './steps.ts';
import { TasksRepo } from './tasks.ts';

export class Store {
  readonly core: StoreCore;
  readonly runs: RunsRepo;
  readonly attempts: AttemptsRepo;
  readonly judgements: JudgementsRepo;
  readonly steps: StepsRepo;
  readonly events: EventsRepo;
  readonly apiKeys: ApiKeysRepo;
  readonly tasks: TasksRepo;
  readonly projects: ProjectsRepo;
  readonly backlog: BacklogRepo;
  readonly cycles: CyclesRepo;
  /** Commits by other processes, as they happen (the event bus carries only this process's own). */
  readonly externalChanges: ExternalChanges;

  constructor(path: string) {
    this.core = new StoreCore(path);
    this.runs = new RunsRepo(this.core);
    this.attempts = new AttemptsRepo(this.core);
    this.judgements = new JudgementsRepo(this.core);
    this.steps = new StepsRepo(this.core);
    this.events = new EventsRepo(this.core);
    this.apiKeys = new ApiKeysRepo(this.core);
    this.tasks = new TasksRepo(this.core);
    this.projects = new ProjectsRepo(this.core);
    this.backlog = new BacklogRepo(this.core);
    this.cycles = new CyclesRepo(this.core);
    this.externalChanges = new ExternalChanges(this.core);
  }

  tx<T>(fn: () => T): T {
    return this.core.tx(fn);
  }

  close(): void {
    this.externalChanges.stop();
    this.core.close();
  }
}

export type { AttemptEnd, AttemptUsage, NewAttempt } from './attempts.ts';
export type { NewRun } from './runs.ts';
export type { NewTask } from './tasks.ts';
export type { StepRecord } from './steps.ts';
