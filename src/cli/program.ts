// The command tree. Only the command being run is loaded (see command-table.ts); the others stand in as their
// name and summary, which is all `orch --help` and commander's "did you mean" need.
import { Command } from 'commander';
import { commandTable, isCommandName, type CommandName } from './command-table.ts';

/** The command `argv` runs: its first word, or the one `help <command>` asks about. */
function commandOf(argv: readonly string[]): CommandName | undefined {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const first = words[0] === 'help' ? words[1] : words[0];
  return isCommandName(first) ? first : undefined;
}

const helpWidth = (stream: NodeJS.WriteStream) => (): number => Math.min((stream.isTTY && stream.columns) || 80, 80);

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('orch')
    .description('Run many AI coding agents on one repository, judge their work with your own checks, merge the best.')
    .version('0.1.0')
    .showHelpAfterError('(run orch --help for usage)')
    // Help wraps at 80 columns at most (narrower on a narrow terminal): the same text on every wide terminal, which
    // is what lets bin/orch.js print the build's recording of `orch --help` without loading the CLI.
    .configureOutput({ getOutHelpWidth: helpWidth(process.stdout), getErrHelpWidth: helpWidth(process.stderr) })
    .exitOverride();
  const wanted = commandOf(argv);
  // The command named is all that is needed to run it (or show its help); the others stand in only for
  // `orch --help` and for commander's "did you mean" after a mistyped command.
  if (wanted !== undefined) {
    (await commandTable[wanted].load())(program);
    describeFromTable(program);
    return program;
  }
  const defined = new Set(program.commands.map((command) => command.name()));
  for (const [name, entry] of Object.entries(commandTable)) {
    if (defined.has(name)) continue;
    program.command(name, { hidden: 'hidden' in entry && entry.hidden }).description(entry.summary).allowUnknownOption().allowExcessArguments();
  }
  return program;
}

/** Every command fully defined (for the docs check and anything that lists options). */
export async function buildFullProgram(): Promise<Command> {
  const program = new Command('orch').exitOverride();
  const registers = new Set(await Promise.all(Object.values(commandTable).map((entry) => entry.load())));
  for (const register of registers) register(program);
  describeFromTable(program);
  return program;
}

/** Every command's summary is written once, in the table; a command module never imports the table (that
 * would make a cycle through the table's loaders). */
function describeFromTable(program: Command): void {
  for (const command of program.commands) {
    const name = command.name();
    if (isCommandName(name) && command.description() === '') command.description(commandTable[name].summary);
  }
}
