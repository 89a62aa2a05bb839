// What a sandboxed process may touch: the request callers make (pure data), resolved per spawn by prepare.ts.

/** `none`: the process runs with the user's rights. `bwrap`: bubblewrap namespaces (Linux). */
export type SandboxMode = 'none' | 'bwrap';

/**
 * How a process reaches the network. `filtered`: its own network namespace; only the hosts it is allowed
 * (loopback ports forwarded, remote hosts through a filtering CONNECT proxy). `none`: no network at all.
 * `host`: the machine's own network (checks with `checks.network`).
 */
export type NetworkPolicy = 'filtered' | 'none' | 'host';

export interface SandboxRequest {
  mode: SandboxMode;
  /** ORCH_HOME: hidden from the process; its private HOME and TMPDIR live under `<orchHome>/sandboxes/`. */
  orchHome: string;
  /** An agent's process or a check command; they get separate private homes. */
  kind: 'agent' | 'check';
  /** The agent's name, for the login files copied into its private HOME (none for checks). */
  agent?: string | undefined;
  network: NetworkPolicy;
  /** Hosts (`host` or `host:port`) reachable besides those the agent's base URLs name. */
  allowHosts: readonly string[];
  /** The working directory is mounted read-only (reviewers, planners). */
  readOnly?: boolean | undefined;
  /** Most processes (and threads) at once inside the sandbox: a fork bomb stops there. */
  maxProcesses: number;
  /** More paths visible read-only inside (the folder of a host command's socket and config). */
  readOnlyPaths?: readonly string[] | undefined;
}

export interface SandboxedCommand {
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Stop the network bridge and release the process limit; call after the process has exited. */
  close(): Promise<void>;
}
