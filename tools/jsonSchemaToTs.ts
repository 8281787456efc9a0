/**
 * JSON Schema (the subset the API's ajv schemas use) to a TypeScript type expression. Unknown keywords are
 * ignored, never guessed: a schema without a type becomes `unknown`, so a loose schema shows as a loose type.
 */

/** A JSON Schema node as the API writes it. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  description?: string;
  [keyword: string]: unknown;
}

const SIMPLE: Record<string, string> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  null: 'null',
};

/** The TypeScript type of `schema`; `$ref`s to `#/components/schemas/X` become `X`. */
export function toTs(schema: JsonSchema | boolean | undefined, indent = ''): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (schema.$ref) return schema.$ref.replace(/^#\/components\/schemas\//, '');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return union(schema.enum.map((v) => JSON.stringify(v)));
  if (schema.anyOf || schema.oneOf)
    return union((schema.anyOf ?? schema.oneOf ?? []).map((s) => toTs(s, indent)));
  if (schema.allOf) return schema.allOf.map((s) => paren(toTs(s, indent))).join(' & ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (!types.length) return schema.properties ? objectType(schema, indent) : 'unknown';
  return union(types.map((t) => typeOf(t, schema, indent)));
}

function typeOf(type: string, schema: JsonSchema, indent: string): string {
  if (type === 'object') return objectType(schema, indent);
  if (type === 'array') return `${paren(toTs(schema.items, indent))}[]`;
  return SIMPLE[type] ?? 'unknown';
}

function objectType(schema: JsonSchema, indent: string): string {
  const props = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (!props.length) {
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${typeof extra === 'object' ? toTs(extra, indent) : 'unknown'}>`;
  }
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = props.map(([name, s]) => {
    const doc = s.description ? `${inner}/** ${s.description.replace(/\*\//g, '* /')} */\n` : '';
    return `${doc}${inner}${safeKey(name)}${required.has(name) ? '' : '?'}: ${toTs(s, inner)};`;
  });
  if (typeof extra === 'object') lines.push(`${inner}[key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  return unique.length ? unique.join(' | ') : 'never';
}

function paren(type: string): string {
  return /^[\w".[\]<>, ]+$/.test(type) || type.startsWith('{') ? type : `(${type})`;
}

function safeKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
