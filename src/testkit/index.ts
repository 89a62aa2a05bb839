// The public testkit (`orch/testkit`): scripted model servers (Anthropic Messages API for Claude Code and OpenCode,
// OpenAI Responses API for Codex, Gemini API for Gemini CLI) to run real agent CLIs offline, the demo project, and
// a fake strategy context to unit-test a strategy's logic with no agent at all, and a scripted GitHub REST API.
export {
  startScriptedAnthropicServer,
  type AnswerKind,
  type RecordedRequest,
  type ScriptedAnthropicServer,
  type ScriptedServerOptions,
} from './anthropic-server.ts';
export { startScriptedOpenAIServer, type OpenAIRecordedRequest, type ScriptedOpenAIServer } from './openai-server.ts';
export { startScriptedGeminiServer, type GeminiRecordedRequest, type ScriptedGeminiServer } from './gemini-server.ts';
export { findGeminiCwd, readGeminiRequest, type GeminiRequestView } from './gemini-request.ts';
export { opencodeConfigContent, opencodeEnv, opencodeProviderId, type OpenCodeEnvOptions } from './opencode-config.ts';
export { codexConfigToml, writeCodexHome, type CodexHome, type CodexHomeOptions } from './codex-home.ts';
export { findCwd, readRequest, type RequestView } from './request.ts';
export { findResponsesCwd, readResponsesRequest, type ResponsesRequestView } from './responses-request.ts';
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
export {
  FakeStrategyContext,
  fakeStrategyContext,
  type FakeStep,
  type FakeStrategyContextOptions,
  type StepMethod,
  type StrategyScript,
} from './strategy-context.ts';
export { fakeAttempt, fakeCheck, fakeMerge, fakePlan, fakeTask, fakeVerdict, type FakePlannedTask } from './strategy-records.ts';
export {
  startScriptedGitHubServer,
  type GitHubFault,
  type GitHubRecordedRequest,
  type ScriptedCheckRun,
  type ScriptedGitHubOptions,
  type ScriptedGitHubServer,
  type ScriptedIssue,
  type ScriptedPull,
} from './github-server.ts';
