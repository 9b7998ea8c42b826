import { fc, it } from '@fast-check/vitest';
import { CreateOrderBody, DateTime, Money, OrderId, RumBatch, SetRolloutBody } from '@tandem/contract';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { invalidValues } from './invalid-values.js';
import { validValues } from './zod-arbitrary.js';

/** One schema of each kind the contract uses, and the contract's own request bodies. */
const SCHEMAS: Record<string, z.ZodType> = {
  'strict object, optional and default keys': z.strictObject({
    a: z.string(),
    b: z.int().optional(),
    c: z.boolean().default(false),
  }),
  'string with length and trim': z.string().trim().min(1).max(5),
  'string with a regex': z.string().regex(/^[A-Z][A-Z0-9-]{2,7}$/),
  uuid: OrderId,
  'date-time codec': DateTime,
  'int with bounds': z.int().min(-3).max(1000),
  'money (multipleOf 0.01)': Money,
  'positive number': z.number().positive().max(1),
  'enum and literal': z.object({ e: z.enum(['x', 'y']), l: z.literal('z') }),
  'array with bounds': z.array(z.int()).min(2).max(4),
  'union and nullable': z.union([z.string().max(2), z.int().nullable()]),
  'discriminated union': z.discriminatedUnion('type', [
    z.object({ type: z.literal('a'), n: z.int() }),
    z.object({ type: z.literal('b'), s: z.string() }),
  ]),
  'a refined object (filtered)': SetRolloutBody,
  CreateOrderBody,
  RumBatch,
};

describe.each(Object.entries(SCHEMAS))('%s', (_kind, schema) => {
  it.prop([validValues(schema)], { numRuns: 200 })('derives values the schema accepts', (value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });

  it.prop([invalidValues(schema, validValues(schema), 'json')], { numRuns: 200 })(
    'mutates them into values the schema refuses, naming the field it broke',
    ({ value, field }) => {
      const result = schema.safeParse(value);
      expect(result.success).toBe(false);
      const prefix = field.join('.');
      const named = (result.error?.issues ?? []).flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => [...issue.path, key].join('.'))
          : [issue.path.join('.')],
      );
      expect(named.some((path) => prefix === '' || path === prefix || path.startsWith(`${prefix}.`))).toBe(true);
    },
  );
});

describe('what it cannot derive', () => {
  it('throws naming a kind it does not know', () => {
    expect(() => validValues(z.map(z.string(), z.string()))).toThrow(/"map"/);
  });

  it('asks for an override when the derived values rarely pass (a transform it cannot see through)', () => {
    const ids = z
      .string()
      .transform((value) => value.split(','))
      .pipe(z.array(z.uuid()).min(1));
    expect(() => validValues(ids)).toThrow(/override/);
    const override = fc.array(fc.uuid(), { minLength: 1, maxLength: 3 }).map((list) => list.join(','));
    expect(
      fc.sample(validValues(ids, new Map([[ids, override]])), 20).every((value) => ids.safeParse(value).success),
    ).toBe(true);
  });
});
