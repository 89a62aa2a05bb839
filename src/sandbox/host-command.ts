// A stdio program a sandboxed agent may start that must run outside the sandbox: orch's own `mcp-delegate`
// server (it opens ORCH_HOME's database and starts child runs in the user's repository). Inside, the agent
// starts a relay that joins its stdin and stdout to a unix socket; outside, each connection starts the program.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Plain JavaScript for `node -e`: stdin to the socket, the socket to stdout. */
const relayScript = String.raw`
const socket = require('node:net').connect(process.argv[1]);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
socket.on('error', () => process.exit(1));
`;

export interface HostCommand {
  /** A private folder (bind it read-only into the sandbox): the socket, and room for the caller's files. */
  dir: string;
  /** What the sandboxed side runs instead of the program. */
  command: string;
  args: string[];
  close(): Promise<void>;
}

export async function openHostCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<HostCommand> {
  const [program, ...programArgs] = argv;
  if (program === undefined) throw new TypeError('openHostCommand: argv is empty');
  const dir = mkdtempSync(join(tmpdir(), 'orch-host-'));
  const socketPath = join(dir, 'command.sock');
  const children = new Set<ChildProcess>();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const child = spawn(program, programArgs, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    children.add(child);
    socket.pipe(child.stdin);
    child.stdout.pipe(socket);
    child.stdin.on('error', () => undefined);
    socket.on('error', () => child.kill('SIGTERM'));
    socket.on('close', () => {
      sockets.delete(socket);
      child.kill('SIGTERM');
    });
    child.on('exit', () => {
      children.delete(child);
      socket.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    dir,
    command: process.execPath,
    args: ['-e', relayScript, '--', socketPath],
    close: async () => {
      for (const child of children) child.kill('SIGTERM');
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
