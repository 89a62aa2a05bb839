// A strategy's parameters as form fields, read off the JSON Schema GET /strategies sends (the strategy's own zod
// schema), and the form's text back into the `params` of POST /runs. Nothing here knows a strategy by name.

interface SchemaNode {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
}

export type FieldKind = 'integer' | 'number' | 'boolean' | 'choice' | 'text';

export interface ParamField {
  name: string;
  kind: FieldKind;
  help: string;
  /** The value the strategy takes when the field is left empty, as the field shows it. */
  defaultText: string;
  choices: string[];
  min?: number;
  max?: number;
}

/** Run-wide settings the form asks for once (the agents to deal out), not again as a strategy parameter. */
const askedElsewhere = new Set(['agents']);

const asText = (value: unknown): string => (value === undefined ? '' : Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value));

function kindOf(node: SchemaNode): FieldKind {
  if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'string')) return 'choice';
  if (node.type === 'integer' || node.type === 'number' || node.type === 'boolean') return node.type;
  // A list that may also be written as comma-separated text (`context`): a text field.
  return 'text';
}

export function fieldsOf(schema: Record<string, unknown>): ParamField[] {
  const properties = (schema as SchemaNode).properties ?? {};
  return Object.entries(properties)
    .filter(([name]) => !askedElsewhere.has(name))
    .map(([name, node]) => ({
      name,
      kind: kindOf(node),
      help: node.description ?? '',
      defaultText: asText(node.default),
      choices: Array.isArray(node.enum) ? node.enum.map(String) : [],
      ...(node.minimum === undefined ? {} : { min: node.minimum }),
      ...(node.maximum === undefined ? {} : { max: node.maximum }),
    }));
}

/** The params to send: only fields given a value (the rest take the strategy's defaults), typed as the schema says. */
export function paramsFrom(fields: readonly ParamField[], values: Readonly<Record<string, string>>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    const text = (values[field.name] ?? '').trim();
    if (text === '') continue;
    if (field.kind === 'integer' || field.kind === 'number') params[field.name] = Number(text);
    else if (field.kind === 'boolean') params[field.name] = text === 'true';
    else params[field.name] = text;
  }
  return params;
}
