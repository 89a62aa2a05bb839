// Every top-level command: its one-line summary and the module that defines it. `orch <command>` loads only that
// module (and what it imports); `orch --help` loads none, and lists the summaries. So a command's start-up costs
// what that command needs, not what all of orch needs. The table gives each command its summary (program.ts), so a module never imports the table.
import type { Command } from 'commander';

type Register = (program: Command) => void;

interface CommandEntry {
  summary: string;
  hidden?: boolean;
  load(): Promise<Register>;
}

export const commandTable = {
  run: { summary: 'Run agents on a goal, judge their work with your checks, merge the best.', load: async () => (await import('./commands/run.ts')).registerRun },
  resume: { summary: 'Take up an interrupted or failed run again: finished steps are not redone.', load: async () => (await import('./commands/run.ts')).registerRun },
  runs: { summary: "List runs, newest first (this repository's, or all with --all).", load: async () => (await import('./commands/inspect.ts')).registerInspect },
  show: { summary: 'Show a run: its attempts, verdicts and merge.', load: async () => (await import('./commands/inspect.ts')).registerInspect },
  logs: { summary: "Print an attempt's agent output.", load: async () => (await import('./commands/logs.ts')).registerLogs },
  events: {
    summary: "Print a run's event log (or one attempt's events): every state change, retry and credential rotation.",
    load: async () => (await import('./commands/events.ts')).registerEvents,
  },
  start: {
    summary: 'Run the portfolio daemon in the foreground: every enabled project gets cycles on its schedule.',
    load: async () => (await import('./commands/portfolio.ts')).registerStart,
  },
  status: { summary: "The portfolio: the daemon, and per project its state, tasks, spend, last and next cycle.", load: async () => (await import('./commands/portfolio.ts')).registerStatus },
  cycle: { summary: "Run one cycle of a portfolio project now: plan from its backlog, work, judge, merge.", load: async () => (await import('./commands/portfolio.ts')).registerCycle },
  tasks: { summary: "List a portfolio project's backlog (--status to filter); defer or reopen a task.", load: async () => (await import('./commands/portfolio.ts')).registerTasks },
  'add-task': { summary: "Add a task to a portfolio project's backlog.", load: async () => (await import('./commands/portfolio.ts')).registerAddTask },
  project: { summary: "A project's patrol state: status, pause, unpause.", load: async () => (await import('./commands/project.ts')).registerProject },
  clean: {
    summary: 'Remove worktrees (and with --branches, branches) that orch created for runs that are over.',
    load: async () => (await import('./commands/clean.ts')).registerClean,
  },
  init: { summary: 'Write a commented orch.config.json into the repository.', load: async () => (await import('./commands/init.ts')).registerInit },
  demo: {
    summary: 'Fix a failing test in a sample repository with the real Claude Code CLI and a SCRIPTED model (no API key).',
    load: async () => (await import('./commands/demo.ts')).registerDemo,
  },
  eval: {
    summary: "Measure orch on a suite of tasks: agents × models × strategies × repetitions, judged by each task's hidden check.",
    load: async () => (await import('./commands/eval.ts')).registerEval,
  },
  doctor: {
    summary: 'Say what runs get on this machine: the sandbox mode and why, its network and process limits.',
    load: async () => (await import('./commands/doctor.ts')).registerDoctor,
  },
  'mcp-delegate': {
    summary: "The MCP server that gives an agent orch's delegate tool (started by orch).",
    hidden: true,
    load: async () => (await import('./commands/mcp-delegate.ts')).registerMcpDelegate,
  },
  watch: { summary: 'Follow a run started elsewhere (another terminal, the API server) until it ends.', load: async () => (await import('./commands/watch.ts')).registerWatch },
  serve: { summary: 'Serve the REST API, the live event stream and the web dashboard.', load: async () => (await import('./commands/serve.ts')).registerServe },
  worker: {
    summary: 'Take attempts from the coordinators\' queues on Redis and run them on this machine (distributed runs).',
    load: async () => (await import('./commands/worker.ts')).registerWorker,
  },
  workers: { summary: 'List the live workers: host, agents, running attempts, last seen.', load: async () => (await import('./commands/worker.ts')).registerWorker },
  'api-key': { summary: 'Create, list and revoke API keys for orch serve.', load: async () => (await import('./commands/api-key.ts')).registerApiKey },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commandTable;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(commandTable, name);
}
