// The portfolio file (JSONC): which projects orch works on unattended, on what schedule, with which models and
// budgets. One zod schema validates it, generates its JSON Schema and its README reference. orch's own names are
// camelCase; seed 001's snake_case file is accepted as written (see `snakeCaseNames`).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Cron } from 'croner';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { ConfigError } from '../domain/errors.ts';
import { formatZodIssues } from '../engine/run/config-file.ts';

export const backlogSources = ['manual', 'backlog_file', 'claude_md', 'github_issues'] as const;
export type BacklogSourceName = (typeof backlogSources)[number];
export const workerStrategyNames = ['single', 'best-of-n', 'iterative', 'tournament'] as const;

const cronSchema = z.string().refine((pattern) => {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}, 'not a cron pattern croner understands (5 fields, or 6 with seconds first: "*/30 * * * *", "0 9 * * 1-5")');

const budgetSchema = z
  .object({
    dailyUsd: z.number().positive().optional().describe('Most this may spend per calendar day (UTC), in US dollars; cycles stop starting past it until the next day.'),
    monthlyUsd: z.number().positive().optional().describe('Most this may spend per calendar month (UTC), in US dollars.'),
  })
  .strict()
  .prefault({});

export const portfolioProjectSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a project name is 1-64 letters, digits, . _ - (starting with a letter or digit)').describe('Project identifier (used by --project).'),
    path: z.string().min(1).describe('The project directory (a git repository); relative paths are from the portfolio file.'),
    enabled: z.boolean().default(true).describe('Whether the daemon schedules cycles for it.'),
    priority: z.number().int().default(1).describe('Lower numbers first: when agents are short, the project with the lowest number gets them.'),
    maxWorkers: z.number().int().min(1).max(32).default(3).describe('Most workers (agents) of one cycle at once.'),
    workerTimeoutSeconds: z.number().positive().default(300).describe('Time limit of one worker attempt.'),
    agent: z.string().min(1).optional().describe("The agent that works on tasks (default: the project's orch.config.json agent)."),
    model: z.string().min(1).optional().describe('Model for workers (sonnet, opus, haiku, or a full name).'),
    plannerModel: z.string().min(1).optional().describe('Model for the planner (can be stronger).'),
    judgeModel: z.string().min(1).optional().describe('Model for the AI judge; when set, every task is also reviewed by it.'),
    maxBudgetPerTask: z.number().positive().default(0.5).describe('Most one worker attempt may spend (US dollars).'),
    maxTasksPerCycle: z.number().int().min(1).max(50).optional().describe('Most tasks the planner emits per cycle (default: maxWorkers).'),
    plannerContextFiles: z.array(z.string().min(1)).default(['CLAUDE.md']).describe('Files the planner reads for context and backlog.'),
    backlogSource: z.enum(backlogSources).default('manual').describe('Where work comes from besides tasks added by hand: manual, backlog_file, claude_md, github_issues.'),
    backlogFile: z.string().min(1).default('BACKLOG.md').describe('The markdown checklist read when backlogSource is backlog_file.'),
    githubLabel: z.string().min(1).max(50).default('orch').describe("The label that makes an open issue a task when backlogSource is github_issues (the repository: the project's github.repo or its origin remote)."),
    cycleIntervalMinutes: z.number().positive().default(30).describe('How often a cycle starts (fractions allowed); `schedule` replaces it.'),
    schedule: cronSchema.optional().describe('A cron pattern (croner; 6 fields for seconds) instead of cycleIntervalMinutes.'),
    testCommand: z.string().default('').describe("Shell command for the tests (empty: the project's orch.config.json, or orch finds one)."),
    lintCommand: z.string().default('').describe("Shell command for the lint (empty: the project's orch.config.json)."),
    target: z.string().min(1).optional().describe("Branch the cycle's work merges into (default: the project's checked-out branch)."),
    worker: z
      .object({
        strategy: z.enum(workerStrategyNames).default('single').describe('Strategy each task runs with.'),
        n: z.number().int().min(1).max(10).optional().describe('n for best-of-n and tournament.'),
        rounds: z.number().int().min(1).max(10).optional().describe('rounds for iterative.'),
      })
      .strict()
      .prefault({}),
    budget: budgetSchema.describe("The project's spending caps."),
  })
  .strict();
export type PortfolioProject = z.infer<typeof portfolioProjectSchema>;

export const portfolioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).default('portfolio').describe('A name for the portfolio (shown by orch status).'),
    dataDir: z.string().optional().describe("Accepted for seed 001's files and ignored: state lives in $ORCH_HOME's database."),
    logLevel: z
      .string()
      .transform((level) => level.toLowerCase())
      .pipe(z.enum(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal']))
      .transform((level) => (level === 'warning' ? 'warn' : level))
      .default('info')
      .describe('Daemon log level (any case: INFO works).'),
    maxAgents: z.number().int().min(1).max(256).default(4).describe('Agents at once across the whole portfolio, shared by priority.'),
    budget: budgetSchema.describe("The whole portfolio's spending caps."),
    projects: z.array(portfolioProjectSchema).min(1, 'a portfolio needs at least one project'),
  })
  .strict()
  .superRefine((portfolio, ctx) => {
    const seen = new Set<string>();
    portfolio.projects.forEach((project, index) => {
      if (seen.has(project.name)) ctx.addIssue({ code: 'custom', path: ['projects', index, 'name'], message: `two projects are named '${project.name}'` });
      seen.add(project.name);
    });
  });
export type Portfolio = z.infer<typeof portfolioSchema>;

/** Seed 001's snake_case names that differ from orch's; every other key is the same word in both. */
export const snakeCaseNames: Readonly<Record<string, string>> = {
  data_dir: 'dataDir',
  log_level: 'logLevel',
  max_agents: 'maxAgents',
  max_workers: 'maxWorkers',
  worker_timeout_seconds: 'workerTimeoutSeconds',
  planner_model: 'plannerModel',
  judge_model: 'judgeModel',
  max_budget_per_task: 'maxBudgetPerTask',
  max_tasks_per_cycle: 'maxTasksPerCycle',
  planner_context_files: 'plannerContextFiles',
  backlog_source: 'backlogSource',
  backlog_file: 'backlogFile',
  github_label: 'githubLabel',
  cycle_interval_minutes: 'cycleIntervalMinutes',
  test_command: 'testCommand',
  lint_command: 'lintCommand',
  daily_usd: 'dailyUsd',
  monthly_usd: 'monthlyUsd',
};

/** Rename seed 001's keys to orch's, refusing a key given both ways (which would silently drop one). */
function camelCaseKeys(value: unknown, path: string[], problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => camelCaseKeys(item, [...path, String(index)], problems));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const name = snakeCaseNames[key] ?? key;
    if (name !== key && Object.hasOwn(value, name)) problems.push(`${[...path, key].join('.')}: given both as '${key}' and '${name}'; keep one`);
    out[name] = camelCaseKeys(child, [...path, name], problems);
  }
  return out;
}

/** Parse and validate portfolio text; `source` names the file in errors. Project paths resolve from `baseDir`. */
export function parsePortfolio(text: string, source: string, baseDir: string): Portfolio {
  const errors: ParseError[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const raw: unknown = parseJsonc(body, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    throw new ConfigError(`${source} is not valid JSON${first ? ` (${printParseErrorCode(first.error)} at offset ${first.offset})` : ''}.`, { hint: 'Fix the file; comments and trailing commas are allowed.' });
  }
  const problems: string[] = [];
  const renamed = camelCaseKeys(raw ?? {}, [], problems);
  if (problems.length > 0) throw new ConfigError(`${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const parsed = portfolioSchema.safeParse(renamed);
  if (!parsed.success) throw new ConfigError(`${source} is invalid:\n${formatZodIssues(parsed.error.issues)}`, { hint: 'See the portfolio reference in the README.' });
  for (const project of parsed.data.projects) project.path = resolve(baseDir, project.path);
  return parsed.data;
}

export function defaultPortfolioPath(home: string): string {
  return join(home, 'portfolio.jsonc');
}

/** The portfolio at `path` (default: $ORCH_HOME/portfolio.jsonc), with a message that says what to do when missing. */
export function loadPortfolio(path: string): Portfolio {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot read the portfolio file ${path}: ${code === 'ENOENT' ? 'it does not exist' : (code ?? (error as Error).message)}.`, {
      cause: error,
      hint: 'Write one (see "Portfolio" in the README), or pass --portfolio <path>.',
    });
  }
  return parsePortfolio(text, path, dirname(resolve(path)));
}

export function findProject(portfolio: Portfolio, name: string): PortfolioProject {
  const project = portfolio.projects.find((p) => p.name === name);
  if (project === undefined) {
    throw new ConfigError(`The portfolio has no project named '${name}'.`, { hint: `Its projects: ${portfolio.projects.map((p) => p.name).join(', ')}.` });
  }
  return project;
}
