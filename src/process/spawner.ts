// Where a child process is started: on orch's JavaScript thread, or on a spawner thread when other children run.
// Node's spawn forks and then waits until the child has called exec (libuv reads a pipe that exec closes): on a
// loaded machine that wait held the one JavaScript thread for 10–400 ms per spawn (docs/performance.md), and
// every event, every SSE client and every other attempt waited with it. So while children already run (a best-of,
// the server), the spawn and the child's pipes live on a worker thread, and this thread gets the pid, the lines
// and the exit as messages. A lone child (a CLI's git call) is started here: a thread costs more than it saves.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';

export type StreamName = 'stdout' | 'stderr';

export interface ChildRequest {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  stdin: string;
}

/** What happens to a child, in this order: spawned (or error), lines, closed (after both streams ended). */
export interface ChildEvents {
  spawned(pid: number): void;
  line(stream: StreamName, line: string): void;
  /** The program could not be started (ENOENT, EACCES, a missing cwd): nothing else follows. */
  error(error: NodeJS.ErrnoException): void;
  closed(exitCode: number | null, signal: NodeJS.Signals | null): void;
}

export type SpawnPlacement = 'auto' | 'main' | 'thread';
let placement: SpawnPlacement = 'auto';
let running = 0;

/** 'auto' (the default): the spawner thread while another child runs. Tests and the bench pin one or the other. */
export function setSpawnPlacement(where: SpawnPlacement): void {
  placement = where;
}

export function startChild(request: ChildRequest, events: ChildEvents): void {
  const onThread = placement === 'thread' || (placement === 'auto' && running > 0);
  running++;
  let done = false;
  const counted: ChildEvents = {
    ...events,
    error(error) {
      if (!done) running--;
      done = true;
      events.error(error);
    },
    closed(exitCode, signal) {
      if (!done) running--;
      done = true;
      events.closed(exitCode, signal);
    },
  };
  if (onThread) spawnerThread().start(request, counted);
  else startHere(request, counted);
}

/** On this thread: child_process and readline, as the worker does it too (same line splitting, same order). */
function startHere(request: ChildRequest, events: ChildEvents): void {
  const child = spawn(request.command, request.args, {
    cwd: request.cwd,
    env: request.env,
    detached: true, // its own process group: the group is killed, agents' shells and test runners included
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid !== undefined) events.spawned(pid);
  const streamsEnded: Promise<void>[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
    lines.on('line', (line) => events.line(stream, line));
    streamsEnded.push(new Promise((ended) => lines.once('close', ended)));
  }
  child.stdin.on('error', () => {
    // The child may exit without reading its stdin; that is not our failure.
  });
  child.stdin.end(request.stdin);
  child.once('error', (error: NodeJS.ErrnoException) => {
    if (pid === undefined) events.error(error);
  });
  child.once('close', (code, signal) => {
    void Promise.all(streamsEnded).then(() => events.closed(code, signal));
  });
}

// The spawner thread's program: plain JavaScript run as a CommonJS script (a worker from a string needs no file,
// so it works the same from the sources, the build and the bundle). Lines are sent in batches, one message per
// turn of its loop, in the order they came.
const spawnerSource = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');
parentPort.on('message', ({ id, command, args, cwd, env, stdin }) => {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid !== undefined) parentPort.postMessage({ id, kind: 'spawned', pid });
  let batch = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (batch.length > 0) parentPort.postMessage({ id, kind: 'lines', lines: batch });
    batch = [];
  };
  const ended = ['stdout', 'stderr'].map((stream) => {
    const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
    lines.on('line', (line) => {
      batch.push(stream === 'stdout' ? 0 : 1, line);
      if (!flushing) { flushing = true; setImmediate(flush); }
    });
    return new Promise((done) => lines.once('close', done));
  });
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  child.once('error', (error) => {
    if (pid === undefined) parentPort.postMessage({ id, kind: 'error', error: { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall, path: error.path } });
  });
  child.once('close', (code, signal) => {
    Promise.all(ended).then(() => {
      flush();
      parentPort.postMessage({ id, kind: 'closed', code, signal });
    });
  });
});
`;

type SpawnerMessage =
  | { id: number; kind: 'spawned'; pid: number }
  | { id: number; kind: 'lines'; lines: (0 | 1 | string)[] }
  | { id: number; kind: 'error'; error: { message: string; code?: string; errno?: number; syscall?: string; path?: string } }
  | { id: number; kind: 'closed'; code: number | null; signal: NodeJS.Signals | null };

class SpawnerThread {
  private readonly worker = new Worker(spawnerSource, { eval: true });
  private readonly children = new Map<number, { events: ChildEvents; pid?: number }>();
  private next = 0;

  constructor(onExit: () => void) {
    this.worker.unref(); // only a child in flight keeps orch alive
    this.worker.on('message', (message: SpawnerMessage) => this.receive(message));
    // An error inside the thread ends it ('exit' follows, below); unhandled, it would end orch.
    this.worker.on('error', () => undefined);
    // The thread died (it should not): its children lost their pipes. Each is stopped and reported killed.
    this.worker.once('exit', () => {
      onExit();
      for (const [, child] of this.children) {
        if (child.pid === undefined) {
          child.events.error(Object.assign(new Error('the spawner thread stopped'), { code: 'ESPAWNER' }));
        } else {
          signalGroup(child.pid);
          child.events.closed(null, 'SIGKILL');
        }
      }
      this.children.clear();
    });
  }

  start(request: ChildRequest, events: ChildEvents): void {
    const id = this.next++;
    if (this.children.size === 0) this.worker.ref();
    this.children.set(id, { events });
    this.worker.postMessage({ id, command: request.command, args: request.args, cwd: request.cwd, env: request.env, stdin: request.stdin });
  }

  private receive(message: SpawnerMessage): void {
    const child = this.children.get(message.id);
    if (child === undefined) return;
    switch (message.kind) {
      case 'spawned':
        child.pid = message.pid;
        child.events.spawned(message.pid);
        return;
      case 'lines':
        for (let i = 0; i < message.lines.length; i += 2) child.events.line(message.lines[i] === 0 ? 'stdout' : 'stderr', String(message.lines[i + 1]));
        return;
      case 'error':
        this.forget(message.id);
        child.events.error(Object.assign(new Error(message.error.message), message.error));
        return;
      case 'closed':
        this.forget(message.id);
        child.events.closed(message.code, message.signal);
        return;
    }
  }

  private forget(id: number): void {
    this.children.delete(id);
    if (this.children.size === 0) this.worker.unref();
  }
}

function signalGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

let thread: SpawnerThread | undefined;

function spawnerThread(): SpawnerThread {
  thread ??= new SpawnerThread(() => {
    thread = undefined;
  });
  return thread;
}
