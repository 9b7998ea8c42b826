import fc from 'fast-check';
import type { z } from 'zod';

/**
 * fast-check arbitraries of the values a Zod 4 schema accepts, in their wire form (what a
 * client sends: `z.input`). zod-fast-check does not read Zod 4, so this reads the schema
 * kinds the contract uses from each schema's definition: objects (strict or not), strings
 * with length, regex and format checks, numbers and ints with bounds and `multipleOf`,
 * enums, literals, booleans, arrays, optionals, defaults, nullables, unions, dates and
 * codecs (generated on their output side, then encoded). Anything else throws, naming the
 * kind, rather than generating values the schema refuses.
 *
 * What the definition cannot say (a `.refine`, a `.transform` between two schemas) is met
 * by filtering through the schema itself, and `overrides` give the arbitrary of a schema
 * whose valid values cannot be derived (e.g. an opaque cursor).
 */
export type Overrides = ReadonlyMap<z.ZodType, fc.Arbitrary<unknown>>;

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  [key: string]: unknown;
}

interface CheckDef {
  check: string;
  value?: number | bigint;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  length?: number;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (schema: z.ZodType): CheckDef[] => (defOf(schema).checks ?? []).map((check) => check._zod.def);

/** The smallest share of derived values a schema must accept before filtering is trusted. */
const MIN_ACCEPTED_SHARE = 0.2;

/**
 * Values `schema` accepts, as a client sends them. Checked once when built: if fewer than a
 * fifth of the derived values pass the schema (checks this builder cannot read), it throws
 * and asks for an override instead of generating slowly or forever.
 */
export function validValues<Schema extends z.ZodType>(schema: Schema, overrides: Overrides = new Map()) {
  const derived = arbitraryOf(schema, overrides, '(root)');
  const sample = fc.sample(derived, { numRuns: 100, seed: 1 });
  const accepted = sample.filter((value) => schema.safeParse(value).success).length;
  if (accepted < sample.length * MIN_ACCEPTED_SHARE) {
    throw new Error(
      `Only ${accepted} of ${sample.length} values derived from this schema pass it: give it an override (its checks are not readable from its definition).`,
    );
  }
  return derived.filter((value) => schema.safeParse(value).success) as fc.Arbitrary<z.input<Schema>>;
}

/** The arbitrary of one schema node, without the final filter (used recursively). */
export function arbitraryOf(schema: z.ZodType, overrides: Overrides, where: string): fc.Arbitrary<unknown> {
  const override = overrides.get(schema);
  if (override) return override;
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringOf(schema);
    case 'number':
      return numberOf(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'date':
      return fc.date({
        min: new Date('1970-01-01T00:00:00.000Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      });
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return arbitraryOf(def.innerType as z.ZodType, overrides, where);
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType as z.ZodType, overrides, where), { nil: null, freq: 5 });
    case 'array':
      return arrayOf(schema, def, overrides, where);
    case 'object':
      return objectOf(def, overrides, where);
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((option) => arbitraryOf(option, overrides, where)));
    case 'pipe':
      return pipeOf(def, overrides, where);
    default:
      throw new Error(
        `No arbitrary for the Zod kind "${def.type}" at ${where}: add it to zod-arbitrary.ts or give an override.`,
      );
  }
}

/** Whether a key of an object may be left out (optional, or with a default). */
export function isOptionalKey(schema: z.ZodType): boolean {
  const { type } = defOf(schema);
  return type === 'optional' || type === 'default' || type === 'prefault';
}

/** Whether an object refuses keys its shape does not name (`z.strictObject`, `.strict()`). */
export function isStrictObject(schema: z.ZodType): boolean {
  const def = defOf(schema);
  return (
    def.type === 'object' &&
    defOf((def.catchall as z.ZodType | undefined) ?? ({ _zod: { def: { type: 'unknown' } } } as never)).type === 'never'
  );
}

/** The shape of an object schema (through optional/default wrappers), or undefined. */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(schema);
  if (def.type === 'object') return def.shape as Record<string, z.ZodType>;
  if (def.innerType) return shapeOf(def.innerType as z.ZodType);
  return undefined;
}

/** The kind of a schema (Zod's `def.type`), through optional/default/nullable wrappers. */
export function kindOf(schema: z.ZodType): string {
  const def = defOf(schema);
  return def.innerType ? kindOf(def.innerType as z.ZodType) : def.type;
}

/** Length bounds of a string or array schema. */
export function lengthBounds(schema: z.ZodType): { min: number; max: number | undefined } {
  let min = 0;
  let max: number | undefined;
  for (const check of checksOf(schema)) {
    if (check.check === 'min_length' && check.minimum !== undefined) min = Math.max(min, check.minimum);
    if (check.check === 'max_length' && check.maximum !== undefined) max = Math.min(max ?? Infinity, check.maximum);
    if (check.check === 'length_equals' && check.length !== undefined) min = max = check.length;
  }
  return { min, max };
}

/** Numeric bounds of a number schema (`inclusive: false` for `.positive()`, `.gt()`, `.lt()`). */
export function numberBounds(schema: z.ZodType): {
  min: number;
  max: number;
  minExcluded: boolean;
  maxExcluded: boolean;
  integer: boolean;
  multipleOf: number | undefined;
} {
  const def = defOf(schema);
  const bounds = {
    min: -Number.MAX_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
    minExcluded: false,
    maxExcluded: false,
    integer: def.format === 'safeint' || def.format === 'int32' || def.format === 'uint32',
    multipleOf: undefined as number | undefined,
  };
  for (const check of checksOf(schema)) {
    const value = Number(check.value);
    if (check.check === 'greater_than' && value >= bounds.min) {
      bounds.min = value;
      bounds.minExcluded = check.inclusive === false;
    }
    if (check.check === 'less_than' && value <= bounds.max) {
      bounds.max = value;
      bounds.maxExcluded = check.inclusive === false;
    }
    if (check.check === 'multiple_of') bounds.multipleOf = value;
    if (check.check === 'number_format') bounds.integer = true;
  }
  return bounds;
}

function stringOf(schema: z.ZodType): fc.Arbitrary<string> {
  const def = defOf(schema);
  const { min, max } = lengthBounds(schema);
  const patterns = checksOf(schema)
    .filter((check) => check.check === 'string_format' && check.pattern)
    .map((check) => check.pattern as RegExp);
  if (def.format === 'uuid' || def.format === 'guid') return fc.uuid();
  if (def.format === 'datetime')
    return fc
      .date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
      .map((date) => date.toISOString());
  const pattern = (def.pattern as RegExp | undefined) ?? patterns[0];
  if (pattern)
    return fc.stringMatching(pattern).filter((text) => text.length >= min && (max === undefined || text.length <= max));
  // Every code point, NUL and lone surrogates included: what a client can put in JSON.
  return fc.string({ unit: 'binary', minLength: min, ...(max === undefined ? {} : { maxLength: max }) });
}

function numberOf(schema: z.ZodType): fc.Arbitrary<number> {
  const bounds = numberBounds(schema);
  if (bounds.multipleOf !== undefined) {
    const step = bounds.multipleOf;
    const decimals = Math.max(0, -Math.floor(Math.log10(step)));
    const low = Math.ceil(bounds.min / step) + (bounds.minExcluded && bounds.min % step === 0 ? 1 : 0);
    const high = Math.floor(bounds.max / step) - (bounds.maxExcluded && bounds.max % step === 0 ? 1 : 0);
    return mostlySmall(low, high).map((k) => Number((k * step).toFixed(decimals)));
  }
  if (bounds.integer) {
    return mostlySmall(
      Math.ceil(bounds.min) + (bounds.minExcluded && Number.isInteger(bounds.min) ? 1 : 0),
      Math.floor(bounds.max) - (bounds.maxExcluded && Number.isInteger(bounds.max) ? 1 : 0),
    );
  }
  return fc.double({
    min: bounds.min,
    max: bounds.max,
    minExcluded: bounds.minExcluded,
    maxExcluded: bounds.maxExcluded,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

/**
 * Integers in [min, max], three times in four within 100 of `min`: the whole range is
 * covered, and a sum or product of several (an order's total) still often fits the
 * bounds a `.refine` puts on it.
 */
function mostlySmall(min: number, max: number): fc.Arbitrary<number> {
  const whole = fc.integer({ min, max });
  if (max - min <= 100) return whole;
  return fc.oneof({ arbitrary: fc.integer({ min, max: min + 100 }), weight: 3 }, { arbitrary: whole, weight: 1 });
}

function arrayOf(schema: z.ZodType, def: Def, overrides: Overrides, where: string): fc.Arbitrary<unknown[]> {
  const { min, max } = lengthBounds(schema);
  const element = arbitraryOf(def.element as z.ZodType, overrides, `${where}[]`);
  return fc.array(element, { minLength: min, ...(max === undefined ? {} : { maxLength: max }) });
}

function objectOf(def: Def, overrides: Overrides, where: string): fc.Arbitrary<Record<string, unknown>> {
  const shape = def.shape as Record<string, z.ZodType>;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [key, value] of Object.entries(shape)) {
    model[key] = arbitraryOf(value, overrides, `${where}.${key}`);
    if (!isOptionalKey(value)) requiredKeys.push(key);
  }
  return fc.record(model, { requiredKeys });
}

/**
 * A codec (`z.codec`: wire ↔ memory) is generated on its memory side and encoded, so a
 * date-time is a real instant; a pipe without a way back (`.transform().pipe()`) is
 * generated on its input side and left to the final filter.
 */
function pipeOf(def: Def, overrides: Overrides, where: string): fc.Arbitrary<unknown> {
  const input = def.in as z.ZodType;
  const output = def.out as z.ZodType;
  if (typeof def.reverseTransform === 'function') {
    const encode = def.reverseTransform as (value: unknown, ctx: unknown) => unknown;
    return arbitraryOf(output, overrides, where).map((value) => encode(value, { issues: [], value }));
  }
  return arbitraryOf(defOf(input).type === 'transform' ? output : input, overrides, where);
}
