import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { badRequest } from './errors';

/** A JSON Schema as the routes declare it (also what the OpenAPI document is built from). */
export type Schema = Record<string, unknown>;

// ajv-formats is CommonJS with a default export; under ESM interop it can arrive wrapped once.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/** Marks a string field that may hold several lines (notes, reasons, messages): tab and newlines allowed. */
export const MULTILINE = 'x-multiline';
// Set by compile() on every string field, from MULTILINE: 'lines' or 'line'.
const TEXT_KEYWORD = 'plainText';

// NUL (PostgreSQL text and JSONB cannot hold it) and every other C0/C1 control character; a multi-line field
// keeps tab, line feed and carriage return.
const CONTROL_IN_LINE = /\p{Cc}/u;
const CONTROL_IN_LINES = /(?![\t\n\r])\p{Cc}/u;
// Half of a surrogate pair on its own: not a character, refused by JSONB and turned into U+FFFD by text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether text is something PostgreSQL stores as given and a person could have typed into such a field. */
export function isPlainText(text: string, multiline: boolean): boolean {
  return !(multiline ? CONTROL_IN_LINES : CONTROL_IN_LINE).test(text) && !LONE_SURROGATE.test(text);
}

const UTC_YEAR_MIN = 1;
/** RFC 3339 and an instant both JavaScript and PostgreSQL hold: no leap second (Date refuses :60), no year 0. */
function isStorableInstant(text: string): boolean {
  if (!(fullFormats['date-time'] as { validate: (s: string) => boolean }).validate(text)) return false;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && new Date(ms).getUTCFullYear() >= UTC_YEAR_MIN;
}
/** A calendar date PostgreSQL holds (it has no year 0). */
function isStorableDate(text: string): boolean {
  const valid = (fullFormats.date as { validate: (s: string) => boolean }).validate(text);
  return valid && Number(text.slice(0, 4)) >= UTC_YEAR_MIN;
}

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, coerceTypes, strict: true, useDefaults: false });
  addFormats(ajv, ['time', 'email', 'uuid', 'uri']);
  ajv.addFormat('date-time', { type: 'string', validate: isStorableInstant });
  ajv.addFormat('date', { type: 'string', validate: isStorableDate });
  ajv.addKeyword({ keyword: 'example' });
  ajv.addKeyword({ keyword: MULTILINE, schemaType: 'boolean' });
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    schemaType: 'string',
    validate: (mode: string, text: string) => isPlainText(text, mode === 'lines'),
  });
  return ajv;
}

/**
 * A copy of schema in which every string field checks its text, so no route can forget it: single-line unless
 * the field is marked MULTILINE.
 */
function withPlainText(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withPlainText);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withPlainText(v)]),
      );
    } else if (
      ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not', 'prefixItems'].includes(key)
    ) {
      out[key] = withPlainText(value);
    } else out[key] = value;
  }
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('string')) out[TEXT_KEYWORD] = node[MULTILINE] === true ? 'lines' : 'line';
  return out;
}

// Bodies are JSON and must have the right types; query strings and path parameters are always text.
const bodyAjv = makeAjv(false);
const textAjv = makeAjv(true);
const compiled = new WeakMap<Schema, ValidateFunction>();

function compile(schema: Schema, coerce: boolean): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = (coerce ? textAjv : bodyAjv).compile(withPlainText(schema) as Schema);
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

// Labels people know the fields by, where the name in the JSON is not already that.
const fieldLabels: Record<string, string> = {
  startsAt: 'Start time',
  endsAt: 'End time',
  timeZone: 'Time zone',
  emailVerificationCode: 'Verification code',
  code: 'Code',
};

/** The field as a form labels it: `/newClient/firstName` is "First name", `clinicianId` is "Clinician". */
function labelOf(field: string): string {
  const segments = field.split('/').filter((s) => s !== '' && !/^\d+$/.test(s));
  const name = segments[segments.length - 1];
  if (!name) return 'The request';
  if (fieldLabels[name]) return fieldLabels[name];
  const words = name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Patterns the schemas use, said the way a form hint would say them.
const patternSentences: Record<string, (label: string) => string> = {
  '\\S': (label) => `${label} cannot be blank.`,
  '^\\+?[0-9 ().-]{7,25}$': () =>
    'Enter a phone number: 7 to 25 digits, spaces and the signs + ( ) . - only.',
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': (label) => `${label} must be a time such as 09:00.`,
  '^[0-9]{6}$': (label) => `${label} must be the 6 digits from the email.`,
};

const typeWords: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'empty',
};

/**
 * The problem in one plain sentence a person can act on, next to the field it names: never the validator's own
 * wording ("/newClient/email must match format \"email\"").
 */
function describe(error: ErrorObject, field: string): string {
  const label = labelOf(field);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${label} is required.`;
    case 'additionalProperties':
      return `"${String(p.additionalProperty)}" is not a field this request accepts.`;
    case TEXT_KEYWORD:
      return `${label} contains a character that cannot be used here (a control character or broken text).`;
    case 'enum':
      return `${label} must be one of: ${(p.allowedValues as unknown[]).join(', ')}.`;
    case 'const':
      return `${label} must be ${JSON.stringify(p.allowedValue)}.`;
    case 'type': {
      const types = String(p.type).split(',');
      return `${label} must be ${types.map((t) => typeWords[t] ?? t).join(' or ')}.`;
    }
    case 'format':
      switch (p.format) {
        case 'email':
          return 'Enter a valid email address.';
        case 'date-time':
          return `${label} must be a date and time with its offset, such as 2026-06-10T09:00:00-05:00.`;
        case 'date':
          return `${label} must be a date such as 2026-06-10.`;
        case 'time':
          return `${label} must be a time such as 09:00.`;
        case 'uuid':
          return `${label} is not a valid id.`;
        case 'uri':
          return `${label} must be a web address such as https://example.com.`;
        default:
          return `${label} is not valid.`;
      }
    case 'pattern':
      return patternSentences[String(p.pattern)]?.(label) ?? `${label} is not in the expected form.`;
    case 'minLength':
      return p.limit === 1
        ? `${label} is required.`
        : `${label} must be at least ${String(p.limit)} characters.`;
    case 'maxLength':
      return `${label} must be at most ${String(p.limit)} characters.`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${label} must be ${error.keyword === 'minimum' ? 'at least' : 'more than'} ${String(p.limit)}.`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${label} must be ${error.keyword === 'maximum' ? 'at most' : 'less than'} ${String(p.limit)}.`;
    case 'minItems':
      return `${label} needs at least ${String(p.limit)} ${p.limit === 1 ? 'item' : 'items'}.`;
    case 'maxItems':
      return `${label} can have at most ${String(p.limit)} items.`;
    case 'uniqueItems':
      return `${label} lists the same item twice.`;
    default:
      return `${label} is not valid.`;
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
