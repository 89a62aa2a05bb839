// The OpenCode adapter: `opencode run --format json`, the prompt on stdin, every permission request approved in its
// worktree (--auto), or edits, shell and subagents denied for reviewers; resumable by session id.
// Facts: docs/agents/opencode.md.
import type { AgentEvent } from '../domain/agent-events.ts';
import { agentRecords } from '../domain/agent-records.ts';
import type { AgentClassification } from '../domain/outcome.ts';
import type { AgentAdapter, AgentExit, AgentInvocation, AgentSpec } from './adapter.ts';
import type { AgentBackend } from './backend.ts';
import { classifyExit, type FailureRules } from './classify.ts';
import { createOpenCodeParser } from './opencode-events.ts';

const record = agentRecords.opencode;
const defaults = record.section.parse(undefined);

export interface OpenCodeAdapterOptions {
  /** Path or name of the executable. Default: the config's (agents.opencode.binary). */
  binary?: string | undefined;
  /** Environment for every invocation (agents.opencode.env), under the spec's own. */
  env?: Record<string, string> | undefined;
}

/**
 * A read-only agent's permissions (OPENCODE_PERMISSION, merged over the config's): `deny` takes the tools off the
 * model's list, or fails the call and lets the agent go on. An `ask` would be auto-rejected instead, which ends a
 * `run` at once. `edit` covers write, edit and patch; `task` starts subagents, which have permissions of their own.
 */
export const readOnlyPermission = { edit: 'deny', bash: 'deny', task: 'deny', external_directory: 'deny' } as const;

/** The session title: given, so that OpenCode makes no extra model request to write one. */
function titleOf(prompt: string): string {
  const firstLine = prompt.trim().split('\n', 1)[0] ?? '';
  return `orch: ${firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine}`;
}

export function buildOpenCodeInvocation(spec: AgentSpec, options: OpenCodeAdapterOptions = {}): AgentInvocation {
  const argv = [options.binary ?? defaults.binary, 'run', '--format', 'json', `--dir=${spec.cwd}`];
  // --auto approves what the config leaves to "ask" (a command outside the worktree, a doom loop); in `run`, an
  // unanswered ask is rejected and ends the run. A read-only agent gets denials instead (readOnlyPermission).
  if (spec.readOnly !== true) argv.push('--auto');
  if (spec.model !== undefined) argv.push(`--model=${spec.model}`);
  // An unknown id fails: exit 1, "Session not found" on stderr.
  if (spec.resumeSessionId !== undefined) argv.push(`--session=${spec.resumeSessionId}`);
  else argv.push(`--title=${titleOf(spec.prompt)}`);
  const env: Record<string, string | undefined> = {
    // OpenCode takes its working directory from PWD, not from the process: an inherited PWD would send it to
    // whatever directory orch was started in.
    PWD: spec.cwd,
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    ...(spec.readOnly === true ? { OPENCODE_PERMISSION: JSON.stringify(readOnlyPermission) } : {}),
    ...options.env,
    ...spec.env,
  };
  // Always on stdin: `run` wraps each argument that holds a space in double quotes before the model sees it.
  return { argv, env, stdin: spec.prompt };
}

// No result: killed, an unknown session, or a run that stopped after a rejected permission (exit 0, no last step).
const failureRules: FailureRules = {
  patterns: {
    auth: /ProviderAuthError|api key is missing|invalid x-api-key|invalid api key|authentication_error|permission_error|unauthorized|forbidden/i,
    rate_limited: /rate.?limit|too many requests|usage limit|free usage exceeded|quota|resource.?exhausted/i,
    transient: /overloaded|cannot connect to api|terminated|fetch failed|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timed out|service unavailable|internal server error/i,
  },
};

export function classifyOpenCodeExit(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification {
  return classifyExit(failureRules, exit, events);
}

export function createOpenCodeAdapter(options: OpenCodeAdapterOptions = {}): AgentAdapter {
  // Stateful (it adds up the steps): one adapter per run, as orch's engine creates them.
  const parse = createOpenCodeParser();
  return {
    name: 'opencode',
    supportsResume: record.capabilities.resume,
    buildInvocation: (spec) => buildOpenCodeInvocation(spec, options),
    parse,
    classify: classifyOpenCodeExit,
  };
}

/**
 * OpenCode's credentials are never checked up front: it reads keys of dozens of providers from the environment, its
 * own auth.json and its config, and offers keyless models; a missing key fails its run as ProviderAuthError (auth).
 */
export const opencodeBackend: AgentBackend<'opencode'> = {
  // The user's own OpenCode config, login and sessions; agents.opencode.env may point it elsewhere.
  create: (section) => createOpenCodeAdapter({ binary: section.binary, env: section.env }),
};
