// The command tree: every command registers itself; main.ts runs it.
import { Command } from 'commander';
import { registerApiKey } from './commands/api-key.ts';
import { registerClean } from './commands/clean.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerEvents } from './commands/events.ts';
import { registerInit } from './commands/init.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerLogs } from './commands/logs.ts';
import { registerMcpDelegate } from './commands/mcp-delegate.ts';
import { registerProject } from './commands/project.ts';
import { registerRun } from './commands/run.ts';
import { registerWatch } from './commands/watch.ts';
import { registerServe } from './commands/serve.ts';

export function buildProgram(): Command {
  const program = new Command('orch')
    .description('Run many AI coding agents on one repository, judge their work with your own checks, merge the best.')
    .version('0.1.0')
    .showHelpAfterError('(run orch --help for usage)')
    .exitOverride();
  registerRun(program);
  registerInspect(program);
  registerLogs(program);
  registerEvents(program);
  registerProject(program);
  registerClean(program);
  registerInit(program);
  registerDemo(program);
  registerDoctor(program);
  registerMcpDelegate(program);
  registerWatch(program);
  registerServe(program);
  registerApiKey(program);
  return program;
}
