// ORCH_LOG_LEVEL, checked before anything is opened: pino throws on an unknown level deep inside its constructor.
import { UsageError } from '../domain/errors.ts';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const value = env['ORCH_LOG_LEVEL'];
  if (value === undefined || value === '') return 'info';
  const level = value.trim().toLowerCase();
  if ((logLevels as readonly string[]).includes(level)) return level as LogLevel;
  throw new UsageError(`ORCH_LOG_LEVEL is '${value}', which is not a log level.`, { hint: `Use one of ${logLevels.join(', ')} (or unset it for info).` });
}
