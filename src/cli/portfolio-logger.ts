// The portfolio daemon's logger: stdout, one JSON line each (journald and `| pino-pretty` read them), secrets
// redacted. Its own module so `orch start` loads pino lazily through a static import (see eslint.config.js).
import { pino, type Logger } from 'pino';

export function portfolioLogger(level: string): Logger {
  return pino({ level, redact: ['*.ANTHROPIC_API_KEY', '*.ANTHROPIC_AUTH_TOKEN', '*.env'] });
}
