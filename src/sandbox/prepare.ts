// Turning a request (mode, kind, network) and a command into the command that runs it sandboxed: decides what
// is hidden, visible and writable, opens the network bridge, copies the agent's login into a private HOME.
import { accessSync, constants, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { allowedHosts } from './allowed-hosts.ts';
import { sandboxedCommand, type BwrapPlan } from './bwrap-argv.ts';
import { worktreeGitPaths } from './git-paths.ts';
import { innerInitScript } from './inner-init.ts';
import { loopbackHosts, openNetworkBridge, type NetworkBridge } from './network-bridge.ts';
import type { SandboxRequest, SandboxedCommand } from './policy.ts';
import { copyStateDir, fillPrivateHome } from './private-home.ts';
import { processLimit } from './process-limit.ts';
import { sandboxSupport } from './probe.ts';

export class SandboxUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`The sandbox cannot start: ${reason}.`);
    this.name = 'SandboxUnavailableError';
  }
}

/** Variables naming an agent's own state directory: writable when orch owns it, else a private copy. */
const stateDirVariables = ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME'];

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function findOnPath(program: string, cwd: string, pathVariable: string): string | undefined {
  if (program.includes('/')) return isAbsolute(program) ? program : join(cwd, program);
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // next
    }
  }
  return undefined;
}

/** The folder to keep visible for a program: its npm package (a node_modules entry) or its install prefix. */
function installRoot(program: string): string {
  const parts = real(program).split(sep);
  const modules = parts.lastIndexOf('node_modules');
  if (modules > 0) {
    const scoped = parts[modules + 1]?.startsWith('@') === true;
    return parts.slice(0, modules + (scoped ? 3 : 2)).join(sep);
  }
  // /opt/node/bin/node -> /opt/node: the prefix holds its lib/ too.
  const dir = dirname(real(program));
  return basename(dir) === 'bin' ? dirname(dir) : dir;
}

export interface PrepareInput {
  argv: readonly string[];
  cwd: string;
  /** The complete environment the command would run with unsandboxed. */
  env: NodeJS.ProcessEnv;
}

export async function prepareSandbox(request: SandboxRequest, input: PrepareInput): Promise<SandboxedCommand> {
  if (request.mode === 'none') return { argv: [...input.argv], env: input.env, close: () => Promise.resolve() };
  const support = sandboxSupport();
  if (!support.available) throw new SandboxUnavailableError(support.reason);

  const cwd = real(input.cwd);
  const orchHome = real(request.orchHome);
  const realHome = real(input.env['HOME'] || homedir());
  const box = join(orchHome, 'sandboxes', `${basename(cwd)}-${request.kind}`);
  const privateHome = join(box, 'home');
  const privateTmp = join(box, 'tmp');
  mkdirSync(privateTmp, { recursive: true, mode: 0o700 });
  fillPrivateHome(privateHome, realHome, request.kind === 'agent' ? request.agent : undefined);

  const git = worktreeGitPaths(cwd);
  const checkout = git !== undefined && basename(git.commonDir) === '.git' ? dirname(git.commonDir) : undefined;
  const hidden = ['/tmp', '/var/tmp', '/run', '/dev/shm', realHome, orchHome];
  // The user's own checkout: not even visible (its uncommitted work is theirs), unless it is what we run in.
  if (checkout !== undefined && checkout !== '/' && !isInside(cwd, checkout)) hidden.push(checkout);

  const readOnly: string[] = [...(request.readOnlyPaths ?? [])];
  const writable: string[] = [privateHome, privateTmp];
  (request.readOnly === true ? readOnly : writable).push(cwd);
  const env: Record<string, string> = { HOME: privateHome, TMPDIR: privateTmp, TMP: privateTmp, TEMP: privateTmp };

  if (git !== undefined) {
    readOnly.push(git.commonDir);
    // An agent commits on its own branch: objects, its admin dir, the folder of its branch's ref and reflog.
    // config, hooks/, info/, packed-refs and every other ref stay read-only.
    if (request.kind === 'agent' && request.readOnly !== true && git.adminDir !== undefined) {
      writable.push(join(git.commonDir, 'objects'), git.adminDir);
      if (git.branchRef !== undefined) {
        for (const base of [git.commonDir, join(git.commonDir, 'logs')]) {
          const dir = dirname(join(base, git.branchRef));
          mkdirSync(dir, { recursive: true });
          writable.push(dir);
        }
      }
    }
  }

  // The agent's state directories: orch's own under ORCH_HOME are bound; the user's are copied, never written.
  for (const name of stateDirVariables) {
    const value = input.env[name];
    if (!value || !isAbsolute(value)) continue;
    if (isInside(real(value), orchHome) || isInside(real(value), box)) {
      mkdirSync(value, { recursive: true, mode: 0o700 });
      writable.push(real(value));
    } else {
      const copy = join(box, 'state', name);
      copyStateDir(value, copy);
      env[name] = copy;
    }
  }

  // The programs themselves stay visible when they live somewhere hidden (a checkout's node_modules, ~/.local).
  const pathVariable = input.env['PATH'] ?? '';
  const programs = [process.execPath, findOnPath(input.argv[0] ?? '', cwd, pathVariable), findOnPath('node', cwd, pathVariable)];
  for (const program of programs) {
    if (program === undefined || !existsSync(program)) continue;
    // The folder of the path as called too: a link such as node_modules/.bin/claude lives outside its package.
    for (const root of new Set([installRoot(program), dirname(program)])) {
      if (hidden.some((dir) => isInside(root, dir))) readOnly.push(root);
    }
  }

  const limit = processLimit(request.maxProcesses);
  let bridge: NetworkBridge | undefined;
  let bindLowPorts = false;
  const innerPrefix: string[] = [...limit.innerPrefix];
  try {
    if (request.network === 'filtered') {
      const hosts = allowedHosts(request.kind === 'agent' ? request.agent : undefined, input.env, request.allowHosts);
      const loopback = hosts.filter((host) => loopbackHosts.has(host.host) && host.port > 0);
      const remote = hosts.filter((host) => !loopbackHosts.has(host.host));
      if (loopback.length > 0 || remote.length > 0) {
        bridge = await openNetworkBridge(loopback, remote);
        readOnly.push(bridge.dir);
        bindLowPorts = bridge.forwards.some((forward) => forward.port < 1024);
        const init = { forwards: [...bridge.forwards, ...(bridge.proxy === undefined ? [] : [bridge.proxy])] };
        innerPrefix.push(process.execPath, '-e', innerInitScript, '--', JSON.stringify(init));
        if (bridge.proxy !== undefined) {
          const proxyUrl = `http://127.0.0.1:${bridge.proxy.port}`;
          for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'ALL_PROXY', 'all_proxy']) env[name] = proxyUrl;
          env['NO_PROXY'] = env['no_proxy'] = '127.0.0.1,localhost,::1';
        }
      }
    }
    const plan: BwrapPlan = {
      bwrap: support.bwrap,
      cwd,
      hidden,
      readOnly,
      writable,
      shareNetwork: request.network === 'host',
      bindLowPorts,
      innerPrefix,
      outerPrefix: limit.outerPrefix,
      env,
    };
    const wrapped = sandboxedCommand(plan, input.argv, input.env);
    const openBridge = bridge;
    return {
      ...wrapped,
      close: async () => {
        await openBridge?.close();
        limit.release();
      },
    };
  } catch (error) {
    await bridge?.close();
    limit.release();
    throw error;
  }
}
