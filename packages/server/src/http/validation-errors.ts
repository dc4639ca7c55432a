import type { FieldError } from '@takedown/core';

/**
 * Turns JSON-schema (Ajv) validation errors into our per-field errors, with messages that say what to send.
 * Every route's body, query, path and header schema is checked by Ajv and answered through here, so a caller
 * gets the same words for the same mistake on every route. Ajv runs with `verbose` so that an error carries the
 * schema it broke: its `x-expected` (what a valid value looks like) turns a pattern into plain words.
 */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  schema?: unknown;
  parentSchema?: Record<string, unknown>;
}

/** Where each part of a request appears in field names: body and query fields by their own names. */
const PART_PREFIX: Record<string, string> = { body: '', querystring: '', params: '', headers: 'headers' };

const TYPE_WORDS: Record<string, string> = {
  string: 'text (a JSON string)',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list (a JSON array)',
  object: 'a group of fields (a JSON object)',
  null: 'null',
};

const COMPARISON_WORDS: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' };

function join(...parts: string[]): string {
  return parts.filter(Boolean).join('.');
}

function fieldOf(pointer: string, prefix: string): string {
  // JSON pointers escape "/" and "~" in keys; a field name shows them as they were sent.
  return join(prefix, ...pointer.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/**
 * What a valid value looks like, in words: the schema's `x-expected`, else (for the signal types' schemas,
 * which carry none) a hexadecimal pattern read out.
 */
function expected(error: SchemaError): string | undefined {
  const hint = error.parentSchema?.['x-expected'];
  if (typeof hint === 'string') return hint;
  const hex = error.keyword === 'pattern' ? /^\^\[0-9a-fA-F\]\{(\d+)\}\$$/.exec(String(error.params.pattern)) : null;
  return hex ? `${hex[1]} hexadecimal characters (0–9, a–f)` : undefined;
}

/** The constants of a union of literals (TypeBox writes `Union([Literal('a'), Literal('b')])` as anyOf of const). */
function constantsOf(alternatives: unknown): string[] | undefined {
  if (!Array.isArray(alternatives)) return undefined;
  const values = alternatives.map((alternative: unknown) => (typeof alternative === 'object' && alternative !== null && 'const' in alternative ? String(alternative.const) : undefined));
  return values.every((value) => value !== undefined) ? (values as string[]) : undefined;
}

function describe(error: SchemaError, field: string): FieldError {
  const name = field || 'The body';
  const { params } = error;
  switch (error.keyword) {
    case 'required': {
      const missing = join(field, String(params.missingProperty));
      return { field: missing, code: 'required', message: `${missing} is required.` };
    }
    case 'additionalProperties': {
      const unknown = join(field, String(params.additionalProperty));
      return { field: unknown, code: 'unknown_field', message: `${unknown} is not a field we accept; remove it.` };
    }
    case 'type': {
      const types = String(params.type).split(',').map((type) => TYPE_WORDS[type] ?? type);
      return { field, code: 'wrong_type', message: `${name} must be ${types.join(' or ')}.` };
    }
    case 'enum':
      return { field, code: 'not_allowed', message: `${name} must be one of: ${(params.allowedValues as unknown[]).join(', ')}.` };
    case 'const':
      return { field, code: 'not_allowed', message: `${name} must be ${String(params.allowedValue)}.` };
    case 'anyOf': {
      const constants = constantsOf(error.schema);
      const message = constants ? `${name} must be one of: ${constants.join(', ')}.` : `${name} is not in any of the accepted forms; see the API documentation at /docs.`;
      return { field, code: constants ? 'not_allowed' : 'invalid_value', message };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { field, code: 'out_of_range', message: `${name} must be ${COMPARISON_WORDS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}.` };
    case 'minLength':
      return params.limit === 1
        ? { field, code: 'required', message: `${name} must not be empty.` }
        : { field, code: 'too_short', message: `${name} must be at least ${String(params.limit)} characters long.` };
    case 'maxLength':
      return { field, code: 'too_long', message: `${name} can be at most ${String(params.limit)} characters; shorten it.` };
    case 'minItems':
      return { field, code: 'too_few', message: `${name} must list at least ${params.limit === 1 ? 'one entry' : `${String(params.limit)} entries`}.` };
    case 'maxItems':
      return { field, code: 'too_many', message: `${name} can list at most ${String(params.limit)} entries; send the rest in another call.` };
    case 'pattern':
    case 'format': {
      const hint = expected(error) ?? (error.keyword === 'format' ? `a valid ${String(params.format)}` : undefined);
      if (hint) return { field, code: 'invalid_format', message: `${name} must be ${hint}.` };
      const description = error.parentSchema?.description;
      const what = typeof description === 'string' ? ` ${description.replace(/\.$/, '')}.` : ' See the API documentation at /docs.';
      return { field, code: 'invalid_format', message: `${name} is not in the expected form.${what}` };
    }
    default:
      return { field, code: 'invalid_value', message: `${name} ${error.message ?? 'is not valid'}.` };
  }
}

/**
 * One field error per problem. The errors Ajv reports inside a failed anyOf (one per alternative) are folded
 * into the anyOf's own error, which names the accepted values.
 */
export function fieldErrorsFromSchema(errors: readonly SchemaError[], part: string): FieldError[] {
  const prefix = PART_PREFIX[part] ?? part;
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const error of errors) {
    if (unions.some((union) => error.schemaPath.startsWith(union))) continue;
    const described = describe(error, fieldOf(error.instancePath, prefix));
    const key = `${described.field}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push(described);
  }
  return fields;
}
