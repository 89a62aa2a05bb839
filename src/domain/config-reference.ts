// The configuration reference (README) and the JSON Schema for editors, both generated from the one zod schema.
import { z } from 'zod';
import { configSchema } from './config.ts';

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  anyOf?: JsonSchemaNode[];
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
}

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (node.anyOf) return node.anyOf.map(typeOf).join(' \\| ');
  if (node.type === 'array') return `${node.items ? typeOf(node.items) : 'any'}[]`;
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') return `map of ${typeOf(node.additionalProperties)}`;
  return Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'any');
}

function rows(node: JsonSchemaNode, prefix: string): string[] {
  const lines: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === '$schema') continue;
    const path = `${prefix}${key}`;
    if (child.properties) {
      lines.push(...rows(child, `${path}.`));
      continue;
    }
    if (child.type === 'array' && child.items?.properties) {
      lines.push(...rows(child.items, `${path}[].`));
      continue;
    }
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    lines.push(`| \`${path}\` | ${typeOf(child)} | ${fallback} | ${child.description ?? ''} |`);
  }
  return lines;
}

/** A reference table (key, type, default, meaning) of any JSON Schema made from a zod schema. */
export function schemaReferenceMarkdown(jsonSchema: Record<string, unknown>): string {
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows(jsonSchema, '')].join('\n');
}

export function configReferenceMarkdown(): string {
  return schemaReferenceMarkdown(configJsonSchema());
}
