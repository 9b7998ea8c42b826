import fc from 'fast-check';
import type { z } from 'zod';
import { isOptionalKey, isStrictObject, kindOf, lengthBounds, numberBounds, shapeOf } from './zod-arbitrary.js';

/**
 * How a part of a request travels: `json` (a body: any JSON value), `text` (query and path
 * parameters: strings) or `header` (strings of visible ASCII, what a header can carry).
 */
export type Wire = 'json' | 'text' | 'header';

/** One input the schema refuses, and the field the mutation broke (a path under the part). */
export interface InvalidValue {
  value: unknown;
  /** The field a validation issue must name: this path, or a path under it. */
  field: (string | number)[];
  /** What was done to a valid value, for the counterexample's reader. */
  mutation: string;
}

interface Site {
  mutation: string;
  /** The mutated whole value, and the field a validation issue must name. */
  apply: fc.Arbitrary<{ value: unknown; field: (string | number)[] }>;
}

/**
 * Inputs `schema` refuses, each made from a valid one (`valid`) by one mutation, as
 * schemathesis does: a field of the wrong type or out of range, a required field left
 * out, an unknown field in a strict object, an array too long or too short, the whole
 * part of the wrong type. Every value is checked to fail the schema.
 */
export function invalidValues(schema: z.ZodType, valid: fc.Arbitrary<unknown>, wire: Wire): fc.Arbitrary<InvalidValue> {
  return valid
    .chain((value) => {
      const sites = sitesOf(schema, value, [], wire, (inner) => inner);
      return fc
        .constantFrom(...sites)
        .chain((site) => site.apply.map((mutated): InvalidValue => ({ ...mutated, mutation: site.mutation })));
    })
    .filter((invalid) => !schema.safeParse(invalid.value).success);
}

/**
 * The places a value can be broken: `rebuild` puts a replacement for this node back into
 * the whole value. Inside a plain union Zod reports the union itself, so `named` is the
 * path issues name from there on (undefined: each node's own path).
 */
function sitesOf(
  schema: z.ZodType,
  value: unknown,
  path: (string | number)[],
  wire: Wire,
  rebuild: (replacement: unknown) => unknown,
  named?: (string | number)[],
): Site[] {
  const sites: Site[] = [];
  const fixed = (field: (string | number)[], mutation: string, values: fc.Arbitrary<unknown>): Site => ({
    mutation,
    apply: values.map((mutated) => ({ value: mutated, field: named ?? field })),
  });
  if (path.length === 0 && wire === 'json') {
    sites.push(fixed([], 'the whole body of another type', fc.constantFrom([], 'text', 42, true)));
  }
  const shape = shapeOf(schema);
  if (shape && isPlainObject(value)) {
    for (const [key, field] of Object.entries(shape)) {
      const at = [...path, key];
      if (key in value && !isOptionalKey(field)) {
        const { [key]: _left, ...rest } = value;
        sites.push(fixed(at, `${at.join('.')} left out`, fc.constant(rebuild(rest))));
      }
      const bad = badValuesOf(field, wire);
      if (bad) {
        const replace = (replacement: unknown) => rebuild({ ...value, [key]: replacement });
        sites.push(fixed(at, `${at.join('.')} of the wrong type or out of range`, bad.map(replace)));
      }
      if (key in value && wire === 'json') {
        sites.push(...sitesOf(field, value[key], at, wire, (inner) => rebuild({ ...value, [key]: inner }), named));
      }
    }
    if (isStrictObject(unwrapped(schema))) {
      const unknownKey = fc
        .stringMatching(/^[a-z][A-Za-z0-9_]{0,11}$/)
        .filter((key) => !(key in shape) && !['constructor', 'prototype'].includes(key));
      sites.push({
        mutation: `an unknown field in ${path.join('.') || 'the root'}`,
        // Zod names the unknown key itself (`body.total`).
        apply: unknownKey.map((key) => ({
          value: rebuild({ ...value, [key]: wire === 'json' ? 1 : 'x' }),
          field: named ?? [...path, key],
        })),
      });
    }
    return sites;
  }
  const kind = kindOf(schema);
  if (kind === 'array' && Array.isArray(value)) {
    const element = (unwrapped(schema) as unknown as { _zod: { def: { element: z.ZodType } } })._zod.def.element;
    const { min, max } = lengthBounds(unwrapped(schema));
    if (min > 0) sites.push(fixed(path, `${path.join('.')} empty`, fc.constant(rebuild([]))));
    if (max !== undefined && value.length > 0) {
      const tooLong = Array.from({ length: max + 1 }, (_, index) => value[index % value.length]);
      sites.push(fixed(path, `${path.join('.')} one element too long`, fc.constant(rebuild(tooLong))));
    }
    const bad = badValuesOf(element, wire);
    for (const [index, item] of value.slice(0, 3).entries()) {
      const at = [...path, index];
      const replace = (replacement: unknown) => rebuild(value.map((old, i) => (i === index ? replacement : old)));
      if (bad) sites.push(fixed(at, `${at.join('.')} of the wrong type`, bad.map(replace)));
      sites.push(...sitesOf(element, item, at, wire, replace, named));
    }
    return sites;
  }
  if (kind === 'union') {
    const def = (unwrapped(schema) as unknown as { _zod: { def: { options: z.ZodType[]; discriminator?: string } } })
      ._zod.def;
    const option = def.options.find((candidate) => candidate.safeParse(value).success);
    // A discriminated union reports issues inside the option its discriminator picked; a plain one, at itself.
    if (option) sites.push(...sitesOf(option, value, path, wire, rebuild, def.discriminator ? named : (named ?? path)));
  }
  return sites;
}

/** Values of other types and just past each bound that `schema` refuses, or undefined if none. */
function badValuesOf(schema: z.ZodType, wire: Wire): fc.Arbitrary<unknown> | undefined {
  const inner = unwrapped(schema);
  const candidates: unknown[] =
    wire === 'json'
      ? [null, true, 0, -1, 0.5, 1e300, '', 'x', 'x\u0000', [], {}, [1], { x: 1 }]
      : ['', 'x', '-1', '0', '0.5', '1e400', 'NaN', 'null', 'true', '[]'];
  if (wire === 'text') candidates.push(' 1', '\u0000', 'é', '%');
  const kind = kindOf(inner);
  if (kind === 'number') {
    const { min, max, multipleOf, integer } = numberBounds(inner);
    const step = multipleOf ?? (integer ? 1 : 1e-6);
    candidates.push(min - step, max + step, min + step / 2, Number.MAX_VALUE, -Number.MAX_VALUE);
  }
  if (kind === 'string' || kind === 'array') {
    const { min, max } = lengthBounds(inner);
    if (max !== undefined) candidates.push(kind === 'string' ? 'A'.repeat(max + 1) : Array(max + 1).fill('A'));
    if (min > 1) candidates.push(kind === 'string' ? 'A'.repeat(min - 1) : ['A']);
  }
  const asWire = candidates.map((candidate) =>
    wire === 'json' ? candidate : typeof candidate === 'string' ? candidate : JSON.stringify(candidate),
  );
  const refused = asWire.filter(
    (candidate) =>
      (wire !== 'header' || /^[\x21-\x7e]*$/.test(String(candidate))) && !schema.safeParse(candidate).success,
  );
  if (refused.length === 0) return undefined;
  const constants = fc.constantFrom(...refused);
  if (wire !== 'json') return constants;
  // Any JSON value as well, kept when the field refuses it (most of them: another type).
  return fc.oneof(
    constants,
    fc.jsonValue({ maxDepth: 2 }).filter((candidate) => !schema.safeParse(candidate).success),
  );
}

function unwrapped(schema: z.ZodType): z.ZodType {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
  return ['optional', 'default', 'prefault', 'nullable', 'readonly'].includes(def.type) && def.innerType
    ? unwrapped(def.innerType)
    : schema;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
