// Rewrites our OpenAPI 3.1 documents as OpenAPI 3.0.3, for tools that only read 3.0
// (openapi-diff, the second opinion of the breaking-change check). Faithful or nothing:
// every keyword we generate has a 3.0 equivalent below, and any other JSON Schema 2020-12
// keyword throws, naming where it is, instead of being dropped and silently changing
// what the schema accepts.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Schema Object keywords OpenAPI 3.0.3 knows (an `x-` extension is always allowed). */
const OPENAPI_30_SCHEMA_KEYWORDS = new Set([
  '$ref',
  'title',
  'description',
  'type',
  'format',
  'nullable',
  'enum',
  'default',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  'multipleOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'discriminator',
]);

/** The document with `openapi: 3.0.3` and every schema (components, parameters, bodies, responses) downgraded. */
export function downgradeOpenApi31To30(document: JsonObject): JsonObject {
  const walked = walkDocument(document, '$') as JsonObject;
  return { ...walked, openapi: '3.0.3' };
}

/** Finds the schemas in the document: under `schema`, `components.schemas.*`, and extensions' `$ref`s stay as they are. */
function walkDocument(node: Json, path: string): Json {
  if (Array.isArray(node)) return node.map((item, index) => walkDocument(item, `${path}[${index}]`));
  if (!isObject(node)) return node;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'schema') result[key] = downgradeSchema(value, `${path}.schema`);
    else if (key === 'schemas' && path === '$.components' && isObject(value)) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, downgradeSchema(schema, `${path}.schemas.${name}`)]),
      );
    } else if (key.startsWith('x-')) result[key] = value;
    else result[key] = walkDocument(value, `${path}.${key}`);
  }
  return result;
}

/** One JSON Schema 2020-12 schema as an OpenAPI 3.0 Schema Object. */
export function downgradeSchema(schema: Json, path: string): JsonObject {
  if (schema === true) return {};
  if (!isObject(schema)) throw new Error(`${path}: a schema must be an object or true, got ${JSON.stringify(schema)}`);

  const { $ref, type, const: constant, examples, exclusiveMinimum, exclusiveMaximum, ...rest } = schema;
  const result: JsonObject = {};

  for (const [key, value] of Object.entries(rest)) {
    if (key.startsWith('x-')) {
      result[key] = value;
      continue;
    }
    if (!OPENAPI_30_SCHEMA_KEYWORDS.has(key)) throw new Error(`${path}: "${key}" has no OpenAPI 3.0 equivalent`);
    result[key] = downgradeKeyword(key, value, `${path}.${key}`);
  }

  if (constant !== undefined) result.enum = [constant];
  if (Array.isArray(examples) && examples.length > 0) result.example ??= examples[0] ?? null;
  if (typeof exclusiveMinimum === 'number') tightenBound(result, 'minimum', exclusiveMinimum, 'exclusiveMinimum');
  if (typeof exclusiveMaximum === 'number') tightenBound(result, 'maximum', exclusiveMaximum, 'exclusiveMaximum');

  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    const nonNull = types.filter((name) => name !== 'null');
    if (nonNull.length !== types.length) {
      if (nonNull.length === 0) throw new Error(`${path}: a schema of only "null" has no OpenAPI 3.0 equivalent`);
      result.nullable = true;
    }
    if (nonNull.length === 1) result.type = nonNull[0] ?? null;
    else {
      if (result.anyOf !== undefined) throw new Error(`${path}: several types beside anyOf`);
      result.anyOf = nonNull.map((name) => ({ type: name }));
    }
  }

  if ($ref !== undefined) {
    // 3.0 ignores every keyword beside $ref; keep them by wrapping the reference.
    const siblings = Object.keys(result);
    if (siblings.length === 0) return { $ref };
    if (siblings.length === 1 && siblings[0] === 'description') return { ...result, allOf: [{ $ref }] };
    return { allOf: [{ $ref }, result] };
  }
  return result;
}

function downgradeKeyword(key: string, value: Json, path: string): Json {
  switch (key) {
    case 'items':
    case 'not':
      return downgradeSchema(value, path);
    case 'additionalProperties':
      return typeof value === 'boolean' ? value : downgradeSchema(value, path);
    case 'properties':
      if (!isObject(value)) throw new Error(`${path}: properties must be an object`);
      return Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, downgradeSchema(schema, `${path}.${name}`)]),
      );
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      if (!Array.isArray(value)) throw new Error(`${path}: ${key} must be an array`);
      return value.map((schema, index) => downgradeSchema(schema, `${path}[${index}]`));
    default:
      return value;
  }
}

/** 2020-12's numeric `exclusiveMinimum: n` is 3.0's `minimum: n, exclusiveMinimum: true` (the stricter bound wins). */
function tightenBound(
  result: JsonObject,
  bound: 'minimum' | 'maximum',
  exclusive: number,
  flag: 'exclusiveMinimum' | 'exclusiveMaximum',
): void {
  const inclusive = result[bound];
  const inclusiveIsStricter =
    typeof inclusive === 'number' && (bound === 'minimum' ? inclusive > exclusive : inclusive < exclusive);
  if (inclusiveIsStricter) return;
  result[bound] = exclusive;
  result[flag] = true;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
