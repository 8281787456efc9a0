import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { badRequest } from './errors';

/** A JSON Schema as the routes declare it (also what the OpenAPI document is built from). */
export type Schema = Record<string, unknown>;

// ajv-formats is CommonJS with a default export; under ESM interop it can arrive wrapped once.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, coerceTypes, strict: true, useDefaults: false });
  addFormats(ajv, ['date-time', 'date', 'time', 'email', 'uuid', 'uri']);
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

// Bodies are JSON and must have the right types; query strings and path parameters are always text.
const bodyAjv = makeAjv(false);
const textAjv = makeAjv(true);
const compiled = new WeakMap<Schema, ValidateFunction>();

function compile(schema: Schema, coerce: boolean): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = (coerce ? textAjv : bodyAjv).compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** The JSON pointer (or parameter name) of the field an ajv error is about. */
function fieldOf(error: ErrorObject, where: 'body' | 'query' | 'params'): string {
  let pointer = error.instancePath;
  if (error.keyword === 'required')
    pointer += `/${(error.params as { missingProperty: string }).missingProperty}`;
  if (error.keyword === 'additionalProperties') {
    pointer += `/${(error.params as { additionalProperty: string }).additionalProperty}`;
  }
  if (where === 'body') return pointer || '/';
  return pointer.replace(/^\//, '') || where;
}

function describe(error: ErrorObject, field: string): string {
  switch (error.keyword) {
    case 'required':
      return `${field} is required.`;
    case 'additionalProperties':
      return `${field} is not a field this request accepts.`;
    case 'enum':
      return `${field} must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}.`;
    default:
      return `${field} ${error.message ?? 'is invalid'}.`;
  }
}

/** Validates value against schema; throws a 400 problem naming the first failing field. */
export function validate<T>(schema: Schema, value: unknown, where: 'body' | 'query' | 'params'): T {
  const fn = compile(schema, where !== 'body');
  if (!fn(value)) {
    const error = fn.errors![0];
    const field = fieldOf(error, where);
    throw badRequest(field, describe(error, field));
  }
  return value as T;
}
