// The public testkit (`orch/testkit`): a scripted Anthropic Messages API server to run real agent CLIs offline.
export {
  startScriptedAnthropicServer,
  type AnswerKind,
  type RecordedRequest,
  type ScriptedAnthropicServer,
  type ScriptedServerOptions,
} from './anthropic-server.ts';
export { findCwd, readRequest, type RequestView } from './request.ts';
export {
  parseScripts,
  scriptSchema,
  scriptsSchema,
  turnSchema,
  type Script,
  type ScriptInput,
  type ScriptTurnInput,
  type ScriptUsage,
} from './script.ts';
export { createDemoProject, demoGoal, demoScript, fixedSlugify } from './demo-project.ts';
