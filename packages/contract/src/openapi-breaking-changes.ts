/**
 * Breaking changes between two OpenAPI 3.1 documents of the API (`before` → `after`): what
 * a client written against `before` would trip on when the server speaks `after`. Operations
 * are matched by path and method, so compare documents whose paths share a base (the
 * per-version documents, contracts/openapi.v1.json and …v2.json).
 *
 * The two directions are the heart of it: a client *reads* responses, so a response may not
 * produce anything `before` did not promise (a removed or retyped property, a new enum
 * value, a wider bound); a client *sends* requests and parameters, so they may not reject
 * anything `before` accepted (a newly required property, a removed enum value, a narrower
 * bound). Deliberately small and readable; openapi-diff, run beside it in the tests, is the
 * independent second opinion (scripts/openapi-diff-breaking-changes.ts).
 */

type Schema = Record<string, unknown>;
type Document = Record<string, unknown>;

/** Who holds the schema: the client reads responses, and sends request bodies and parameters. */
type Side = 'request' | 'parameter' | 'response';

export type BreakingChangeRule =
  | 'operation-removed'
  | 'response-status-removed'
  | 'response-media-type-removed'
  | 'request-media-type-removed'
  | 'request-body-newly-required'
  | 'parameter-newly-required'
  | 'response-property-removed'
  | 'response-property-optional'
  | 'response-property-added-to-closed-object'
  | 'request-property-removed'
  | 'request-property-newly-required'
  | `${Side}-type-changed`
  | 'response-enum-value-added'
  | `${'request' | 'parameter'}-enum-value-removed`
  | `${'request' | 'parameter'}-constraint-narrowed`
  | 'response-constraint-widened';

export interface BreakingChange {
  rule: BreakingChangeRule;
  /** `GET /orders/{id} (getOrder)`: method, path and the operationId in `before`. */
  operation: string;
  /** Which part of the operation: `response 200 application/json`, `request body application/json`, `query parameter limit`. */
  location: string;
  /** JSON path inside that part's schema, e.g. `$.data.items[*].qty`; `$` for the part itself. */
  path: string;
  detail: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function findBreakingChanges(before: Document, after: Document): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const beforePaths = (before.paths ?? {}) as Record<string, Record<string, Schema>>;
  const afterPaths = (after.paths ?? {}) as Record<string, Record<string, Schema>>;

  for (const [path, beforeItem] of Object.entries(beforePaths)) {
    for (const method of METHODS) {
      const beforeOperation = beforeItem[method];
      if (!beforeOperation) continue;
      const operation = `${method.toUpperCase()} ${path}${beforeOperation.operationId ? ` (${beforeOperation.operationId})` : ''}`;
      const afterOperation = afterPaths[path]?.[method];
      const report = (rule: BreakingChangeRule, location: string, jsonPath: string, detail: string) =>
        changes.push({ rule, operation, location, path: jsonPath, detail });
      if (!afterOperation) {
        report('operation-removed', 'operation', '$', 'the operation is gone');
        continue;
      }
      const compare = (side: Side, location: string, beforeSchema: unknown, afterSchema: unknown) =>
        compareSchemas(
          {
            before,
            after,
            side,
            active: new Set(),
            report: (rule, jsonPath, detail) => report(rule, location, jsonPath, detail),
          },
          beforeSchema,
          afterSchema,
          '$',
        );
      compareParameters(beforeOperation, afterOperation, report, compare);
      compareRequestBodies(beforeOperation, afterOperation, report, compare);
      compareResponses(beforeOperation, afterOperation, report, compare);
    }
  }
  return changes;
}

/** One line per change, for a terminal or a test failure. */
export function formatBreakingChange(change: BreakingChange): string {
  return `${change.operation} · ${change.location} · ${change.path}: ${change.detail} [${change.rule}]`;
}

type Report = (rule: BreakingChangeRule, location: string, jsonPath: string, detail: string) => void;
type Compare = (side: Side, location: string, before: unknown, after: unknown) => void;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

function compareParameters(before: Schema, after: Schema, report: Report, compare: Compare): void {
  const key = (parameter: Parameter) =>
    `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
  const beforeParameters = new Map(((before.parameters ?? []) as Parameter[]).map((p) => [key(p), p]));
  for (const parameter of (after.parameters ?? []) as Parameter[]) {
    const location = `${parameter.in} parameter ${parameter.name}`;
    const old = beforeParameters.get(key(parameter));
    if (parameter.required && !old?.required) {
      report(
        'parameter-newly-required',
        location,
        '$',
        old ? 'was optional, now required' : 'a new required parameter',
      );
    }
    if (old) compare('parameter', location, old.schema ?? {}, parameter.schema ?? {});
  }
}

interface Content {
  required?: boolean;
  content?: Record<string, { schema?: Schema }>;
}

function compareRequestBodies(before: Schema, after: Schema, report: Report, compare: Compare): void {
  const beforeBody = before.requestBody as Content | undefined;
  const afterBody = after.requestBody as Content | undefined;
  if (!afterBody) return;
  if (afterBody.required && !beforeBody?.required) {
    report('request-body-newly-required', 'request body', '$', 'a body is now required');
  }
  for (const [mediaType, media] of Object.entries(beforeBody?.content ?? {})) {
    const afterMedia = afterBody.content?.[mediaType];
    const location = `request body ${mediaType}`;
    if (!afterMedia) report('request-media-type-removed', location, '$', `${mediaType} is no longer accepted`);
    else compare('request', location, media.schema ?? {}, afterMedia.schema ?? {});
  }
}

function compareResponses(before: Schema, after: Schema, report: Report, compare: Compare): void {
  const afterResponses = (after.responses ?? {}) as Record<string, Content>;
  for (const [status, response] of Object.entries((before.responses ?? {}) as Record<string, Content>)) {
    const afterResponse = afterResponses[status];
    if (!afterResponse) {
      report('response-status-removed', `response ${status}`, '$', `status ${status} is no longer answered`);
      continue;
    }
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      const afterMedia = afterResponse.content?.[mediaType];
      const location = `response ${status} ${mediaType}`;
      if (!afterMedia) report('response-media-type-removed', location, '$', `${mediaType} is no longer answered`);
      else compare('response', location, media.schema ?? {}, afterMedia.schema ?? {});
    }
  }
}

interface Walk {
  before: Document;
  after: Document;
  side: Side;
  /** The pairs of components being compared on the way here: a recursive schema stops at itself. */
  active: Set<string>;
  report: (rule: BreakingChangeRule, jsonPath: string, detail: string) => void;
}

function compareSchemas(walk: Walk, rawBefore: unknown, rawAfter: unknown, path: string): void {
  const before = resolve(rawBefore, walk.before);
  const after = resolve(rawAfter, walk.after);
  const pair = `${before.ref ?? path}→${after.ref ?? path}`;
  if (walk.active.has(pair)) return;
  walk.active.add(pair);
  try {
    if (compareTypes(walk, before.schema, after.schema, path)) return;
    compareEnums(walk, before.schema, after.schema, path);
    compareConstraints(walk, before.schema, after.schema, path);
    compareProperties(walk, before.schema, after.schema, path);
    if (before.schema.items !== undefined || after.schema.items !== undefined) {
      compareSchemas(walk, before.schema.items ?? {}, after.schema.items ?? {}, `${path}[*]`);
    }
    for (const combinator of ['anyOf', 'oneOf'] as const)
      compareVariants(walk, before.schema, after.schema, combinator, path);
  } finally {
    walk.active.delete(pair);
  }
}

/** Follows `$ref` (into `#/components/schemas`), keeping keywords written beside it; merges `allOf`. */
function resolve(raw: unknown, document: Document, seen: string[] = []): { schema: Schema; ref?: string } {
  const schema = (typeof raw === 'object' && raw !== null ? raw : {}) as Schema;
  const { $ref, allOf, ...siblings } = schema;
  let resolved: { schema: Schema; ref?: string } = { schema: siblings };
  if (typeof $ref === 'string') {
    if (seen.includes($ref)) throw new Error(`$ref cycle without a schema in between: ${[...seen, $ref].join(' → ')}`);
    const target = resolvePointer(document, $ref);
    const inner = resolve(target, document, [...seen, $ref]);
    resolved = { schema: { ...inner.schema, ...siblings }, ref: $ref };
  }
  if (Array.isArray(allOf)) {
    for (const part of allOf)
      resolved = { ...resolved, schema: mergeAll(resolved.schema, resolve(part, document, seen).schema) };
  }
  return resolved;
}

function resolvePointer(document: Document, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $ref are supported, got ${ref}`);
  let node: unknown = document;
  for (const segment of ref.slice(2).split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (node === undefined) throw new Error(`$ref to nothing: ${ref}`);
  return node;
}

/** `allOf` parts both apply: their properties and required lists add up. */
function mergeAll(into: Schema, part: Schema): Schema {
  return {
    ...into,
    ...part,
    properties: { ...(into.properties as Schema), ...(part.properties as Schema) },
    required: [...((into.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
  };
}

/** The JSON types a schema allows; undefined when it does not say (any type). `integer` is a kind of `number`. */
function typesOf(schema: Schema): Set<string> | undefined {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(schema.type as string[]);
  const values = valuesOf(schema);
  if (values) return new Set(values.map(jsonTypeOf));
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(variants)) {
    const union = new Set<string>();
    for (const variant of variants) {
      const types = typesOf(variant);
      if (!types) return undefined;
      for (const type of types) union.add(type);
    }
    return union;
  }
  return undefined;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function allows(types: Set<string> | undefined, type: string): boolean {
  return !types || types.has(type) || (type === 'integer' && types.has('number'));
}

/** Reports a type change and answers whether there was one (the deeper comparison then stops). */
function compareTypes(walk: Walk, before: Schema, after: Schema, path: string): boolean {
  // A variant's $ref is resolved only when the variants are compared one by one.
  const beforeTypes = typesOf(resolveVariants(before, walk.before));
  const afterTypes = typesOf(resolveVariants(after, walk.after));
  const describe = (types: Set<string> | undefined) => (types ? [...types].join(' | ') : 'any');
  // Responses: the client must know every type `after` can produce. Inputs: `after` must take every type `before` took.
  const [older, newer] = walk.side === 'response' ? [beforeTypes, afterTypes] : [afterTypes, beforeTypes];
  const lost = newer ? [...newer].filter((type) => !allows(older, type)) : older ? ['any'] : [];
  if (lost.length === 0) return false;
  walk.report(`${walk.side}-type-changed`, path, `type ${describe(beforeTypes)} → ${describe(afterTypes)}`);
  return true;
}

function resolveVariants(schema: Schema, document: Document): Schema {
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    const variants = schema[combinator];
    if (Array.isArray(variants)) {
      return { ...schema, [combinator]: variants.map((variant) => resolve(variant, document).schema) };
    }
  }
  return schema;
}

/** `const` is an enum of one. */
function valuesOf(schema: Schema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

function compareEnums(walk: Walk, before: Schema, after: Schema, path: string): void {
  const beforeValues = valuesOf(before);
  const afterValues = valuesOf(after);
  const missingFrom = (values: unknown[], from: unknown[]) =>
    values.filter((value) => !from.some((other) => JSON.stringify(other) === JSON.stringify(value)));
  if (walk.side === 'response') {
    // A client switching over the old values meets a value it does not know.
    const added = afterValues ? missingFrom(afterValues, beforeValues ?? afterValues) : [];
    for (const value of added)
      walk.report('response-enum-value-added', path, `may now answer ${JSON.stringify(value)}`);
    return;
  }
  if (!beforeValues) {
    if (afterValues) walk.report(`${walk.side}-constraint-narrowed`, path, `now only ${JSON.stringify(afterValues)}`);
    return;
  }
  for (const value of missingFrom(beforeValues, afterValues ?? beforeValues)) {
    walk.report(`${walk.side}-enum-value-removed`, path, `${JSON.stringify(value)} is no longer accepted`);
  }
}

interface Bound {
  value: number;
  exclusive: boolean;
}

/** The lower or upper bound of a number, from `minimum`/`exclusiveMinimum` (or the maximum pair). */
function boundOf(schema: Schema, side: 'lower' | 'upper'): Bound | undefined {
  const [inclusiveKey, exclusiveKey] =
    side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
  const inclusive = schema[inclusiveKey];
  const exclusive = schema[exclusiveKey];
  const candidates: Bound[] = [];
  if (typeof inclusive === 'number') candidates.push({ value: inclusive, exclusive: false });
  if (typeof exclusive === 'number') candidates.push({ value: exclusive, exclusive: true });
  const tighter = (a: Bound, b: Bound) =>
    a.value === b.value ? (a.exclusive ? a : b) : (side === 'lower') === a.value > b.value ? a : b;
  return candidates.reduce<Bound | undefined>((best, bound) => (best ? tighter(best, bound) : bound), undefined);
}

/**
 * What `narrow` forbids that `wide` allowed, by bound and keyword. Inputs: narrowing from
 * before to after rejects old clients' values. Responses: the same question the other way
 * round — widening from before to after produces values old clients may reject.
 */
function narrowings(wide: Schema, narrow: Schema): string[] {
  const found: string[] = [];
  for (const side of ['lower', 'upper'] as const) {
    const wideBound = boundOf(wide, side);
    const narrowBound = boundOf(narrow, side);
    if (!narrowBound) continue;
    const show = (bound: Bound | undefined) =>
      bound ? `${side === 'lower' ? '>' : '<'}${bound.exclusive ? '' : '='} ${bound.value}` : 'none';
    const tighter =
      !wideBound ||
      (side === 'lower' ? narrowBound.value > wideBound.value : narrowBound.value < wideBound.value) ||
      (narrowBound.value === wideBound.value && narrowBound.exclusive && !wideBound.exclusive);
    if (tighter) found.push(`${side} bound ${show(wideBound)} → ${show(narrowBound)}`);
  }
  for (const [key, direction] of [
    ['minLength', 'lower'],
    ['maxLength', 'upper'],
    ['minItems', 'lower'],
    ['maxItems', 'upper'],
    ['minProperties', 'lower'],
    ['maxProperties', 'upper'],
  ] as const) {
    const wideValue = wide[key] as number | undefined;
    const narrowValue = narrow[key] as number | undefined;
    if (narrowValue === undefined) continue;
    if (wideValue === undefined || (direction === 'lower' ? narrowValue > wideValue : narrowValue < wideValue)) {
      found.push(`${key} ${wideValue ?? 'none'} → ${narrowValue}`);
    }
  }
  for (const key of ['pattern', 'format'] as const) {
    if (narrow[key] !== undefined && narrow[key] !== wide[key]) {
      found.push(`${key} ${JSON.stringify(wide[key] ?? null)} → ${JSON.stringify(narrow[key])}`);
    }
  }
  const narrowStep = narrow.multipleOf as number | undefined;
  const wideStep = wide.multipleOf as number | undefined;
  if (narrowStep !== undefined && (wideStep === undefined || !Number.isInteger(round(wideStep / narrowStep)))) {
    found.push(`multipleOf ${wideStep ?? 'none'} → ${narrowStep}`);
  }
  if (narrow.uniqueItems === true && wide.uniqueItems !== true) found.push('uniqueItems now true');
  if (narrow.additionalProperties === false && wide.additionalProperties !== false) {
    found.push('properties it does not list are now refused');
  }
  return found;
}

/** 0.01 / 0.001 is 10.000000000000002 in floating point. */
function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function compareConstraints(walk: Walk, before: Schema, after: Schema, path: string): void {
  if (walk.side === 'response') {
    for (const change of narrowings(after, before)) walk.report('response-constraint-widened', path, change);
  } else {
    for (const change of narrowings(before, after)) walk.report(`${walk.side}-constraint-narrowed`, path, change);
  }
}

function compareProperties(walk: Walk, before: Schema, after: Schema, path: string): void {
  const beforeProperties = (before.properties ?? {}) as Record<string, unknown>;
  const afterProperties = (after.properties ?? {}) as Record<string, unknown>;
  const beforeRequired = new Set((before.required ?? []) as string[]);
  const afterRequired = new Set((after.required ?? []) as string[]);
  const at = (name: string) =>
    /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;

  for (const name of Object.keys(beforeProperties)) {
    if (name in afterProperties) continue;
    if (walk.side === 'response') walk.report('response-property-removed', at(name), 'removed');
    else if (after.additionalProperties === false) {
      walk.report('request-property-removed', at(name), 'removed, and unknown properties are refused');
    }
  }
  for (const name of Object.keys(afterProperties)) {
    if (walk.side === 'response') {
      if (!(name in beforeProperties) && before.additionalProperties === false) {
        walk.report(
          'response-property-added-to-closed-object',
          at(name),
          'added where unknown properties were refused',
        );
      }
      if (beforeRequired.has(name) && !afterRequired.has(name)) {
        walk.report('response-property-optional', at(name), 'no longer always present');
      }
    } else if (afterRequired.has(name) && !beforeRequired.has(name)) {
      walk.report(
        'request-property-newly-required',
        at(name),
        name in beforeProperties ? 'now required' : 'a new required property',
      );
    }
    if (name in beforeProperties) compareSchemas(walk, beforeProperties[name], afterProperties[name], at(name));
  }
  const beforeExtra = before.additionalProperties;
  const afterExtra = after.additionalProperties;
  if (typeof beforeExtra === 'object' && typeof afterExtra === 'object')
    compareSchemas(walk, beforeExtra, afterExtra, `${path}.*`);
}

/** `anyOf`/`oneOf` on both sides, compared variant by variant in order; a response gaining or an input losing a variant breaks. */
function compareVariants(walk: Walk, before: Schema, after: Schema, combinator: 'anyOf' | 'oneOf', path: string): void {
  const beforeVariants = before[combinator];
  const afterVariants = after[combinator];
  if (!Array.isArray(beforeVariants) || !Array.isArray(afterVariants)) return;
  const shared = Math.min(beforeVariants.length, afterVariants.length);
  for (let index = 0; index < shared; index += 1) {
    compareSchemas(walk, beforeVariants[index], afterVariants[index], `${path}.${combinator}[${index}]`);
  }
  const gained = walk.side === 'response' ? afterVariants.length > shared : beforeVariants.length > shared;
  if (gained) {
    walk.report(
      `${walk.side}-type-changed`,
      `${path}.${combinator}`,
      `${beforeVariants.length} → ${afterVariants.length} variants`,
    );
  }
}
