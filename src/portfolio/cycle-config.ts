// The config a cycle runs with: the project's own orch.config.json, with its portfolio entry over it (models,
// checks, time and money limits). Written under $ORCH_HOME so a resumed cycle reads the same settings again.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { configFileName, parseConfig } from '../engine/run/config-file.ts';
import type { PortfolioProject } from './config.ts';

type Json = Record<string, unknown>;

/** How long a cycle's attempt waits for a rate-limited credential's reset (a subscription's window is hours). */
export const unattendedRateLimitWaitSeconds = 24 * 3600;

const section = (config: Json, key: string): Json => {
  const value = config[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
};

export function cycleConfig(project: PortfolioProject): Json {
  let own: Json = {};
  try {
    own = (parseJsonc(readFileSync(join(project.path, configFileName), 'utf8')) as Json | undefined) ?? {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const config: Json = { ...own };
  delete config['$schema'];
  if (project.agent !== undefined) config['agent'] = project.agent;
  if (project.model !== undefined) config['model'] = project.model;
  if (project.target !== undefined) config['target'] = project.target;
  const checks = section(own, 'checks');
  config['checks'] = { ...checks, ...(project.testCommand.trim() ? { test: project.testCommand } : {}), ...(project.lintCommand.trim() ? { lint: project.lintCommand } : {}) };
  config['timeouts'] = { ...section(own, 'timeouts'), attemptSeconds: project.workerTimeoutSeconds };
  config['budget'] = { ...section(own, 'budget'), attemptUsd: project.maxBudgetPerTask };
  config['limits'] = { ...section(own, 'limits'), maxAgents: project.maxWorkers };
  // Unattended, a usage limit with a known reset is waited out, not failed: hold the attempt up to a day for its
  // credential unless the project's own config says otherwise.
  const retries = section(own, 'retries');
  config['retries'] = { ...retries, maxRateLimitWaitSeconds: retries['maxRateLimitWaitSeconds'] ?? unattendedRateLimitWaitSeconds };
  if (project.judgeModel !== undefined) config['review'] = { ...section(own, 'review'), enabled: true, model: project.judgeModel };
  if (project.plannerModel !== undefined) config['planner'] = { ...section(own, 'planner'), model: project.plannerModel };
  return config;
}

/** Write the cycle's config for `project` under `dir` and return its path; a bad result is a ConfigError now. */
export function writeCycleConfig(dir: string, project: PortfolioProject): string {
  const text = `${JSON.stringify(cycleConfig(project), null, 2)}\n`;
  const path = join(dir, `${project.name}.config.json`);
  parseConfig(text, `the config of portfolio project ${project.name} (its orch.config.json with its portfolio entry over it)`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
