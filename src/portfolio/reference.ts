// The portfolio file's JSON Schema (for editors: schemas/portfolio.schema.json) and README reference, both from
// the one zod schema; and the table of seed 001's names, from the one rename map.
import { z } from 'zod';
import { schemaReferenceMarkdown } from '../domain/config-reference.ts';
import { portfolioSchema, snakeCaseNames } from './config.ts';

export function portfolioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(portfolioSchema, { io: 'input', unrepresentable: 'any' });
}

export function portfolioReferenceMarkdown(): string {
  return schemaReferenceMarkdown(portfolioJsonSchema());
}

export function snakeCaseTableMarkdown(): string {
  return ['| seed 001 (snake_case) | orch (camelCase) |', '|---|---|', ...Object.entries(snakeCaseNames).map(([snake, camel]) => `| \`${snake}\` | \`${camel}\` |`)].join('\n');
}
