// The run's checks as the judge runs them: which commands, and how (time limit, reruns, report files).
import type { CheckRunOptions, CheckSpec } from '../../judge/checks.ts';
import type { CheckFileRules } from '../../judge/check-files.ts';
import { checkSandbox } from '../core/sandbox-choice.ts';
import type { RunScope } from '../core/deps.ts';

export function checkSpecs(scope: RunScope): CheckSpec[] {
  const specs: CheckSpec[] = [];
  if (scope.settings.checks.test !== undefined) specs.push({ name: 'test', command: scope.settings.checks.test });
  if (scope.settings.checks.lint !== undefined) specs.push({ name: 'lint', command: scope.settings.checks.lint });
  return specs;
}

export function checkRunOptions(scope: RunScope): CheckRunOptions {
  const { timeoutMs, reruns, reports } = scope.settings.checks;
  return { timeoutMs, reruns, reports, signal: scope.signal, sandbox: checkSandbox(scope) };
}

export function checkFileRules(scope: RunScope): CheckFileRules {
  return { commands: checkSpecs(scope).map((s) => s.command), protect: scope.settings.checks.protect };
}
