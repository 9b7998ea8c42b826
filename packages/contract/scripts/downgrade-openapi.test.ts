import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { downgradeOpenApi31To30, downgradeSchema } from './downgrade-openapi.js';
import { OPENAPI_FILES } from './openapi-files.js';

describe('downgradeSchema (JSON Schema 2020-12 → OpenAPI 3.0 Schema Object)', () => {
  it('writes a type with null as nullable, and several types as anyOf', () => {
    expect(downgradeSchema({ type: ['string', 'null'] }, '$')).toEqual({ type: 'string', nullable: true });
    expect(downgradeSchema({ type: ['string', 'integer'] }, '$')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    });
  });

  it('writes const as a one-value enum and examples as example', () => {
    expect(downgradeSchema({ type: 'integer', const: 200 }, '$')).toEqual({ type: 'integer', enum: [200] });
    expect(downgradeSchema({ type: 'string', examples: ['TEA-1', 'TEA-2'] }, '$')).toEqual({
      type: 'string',
      example: 'TEA-1',
    });
  });

  it('writes a numeric exclusive bound as the boolean form, keeping the stricter bound', () => {
    expect(downgradeSchema({ type: 'integer', exclusiveMinimum: 0 }, '$')).toEqual({
      type: 'integer',
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect(downgradeSchema({ type: 'number', minimum: 5, exclusiveMinimum: 0, exclusiveMaximum: 9 }, '$')).toEqual({
      type: 'number',
      minimum: 5,
      maximum: 9,
      exclusiveMaximum: true,
    });
  });

  it('wraps a $ref that has keywords beside it (3.0 would ignore them)', () => {
    const ref = '#/components/schemas/Money';
    expect(downgradeSchema({ $ref: ref }, '$')).toEqual({ $ref: ref });
    expect(downgradeSchema({ $ref: ref, description: 'The total' }, '$')).toEqual({
      description: 'The total',
      allOf: [{ $ref: ref }],
    });
    expect(downgradeSchema({ $ref: ref, maximum: 10 }, '$')).toEqual({ allOf: [{ $ref: ref }, { maximum: 10 }] });
  });

  it('goes into properties, items, additionalProperties and combinators', () => {
    expect(
      downgradeSchema(
        {
          type: 'object',
          properties: { cursor: { type: ['string', 'null'] } },
          additionalProperties: { const: 1 },
          anyOf: [{ type: 'array', items: { const: 'a' } }],
        },
        '$',
      ),
    ).toEqual({
      type: 'object',
      properties: { cursor: { type: 'string', nullable: true } },
      additionalProperties: { enum: [1] },
      anyOf: [{ type: 'array', items: { enum: ['a'] } }],
    });
  });

  it('refuses a keyword 3.0 has no equivalent for, naming where it is, rather than drop it', () => {
    expect(() => downgradeSchema({ type: 'object', properties: { pair: { prefixItems: [{}] } } }, '$')).toThrow(
      '$.properties.pair: "prefixItems" has no OpenAPI 3.0 equivalent',
    );
    expect(() => downgradeSchema({ type: 'null' }, '$')).toThrow(/only "null"/);
  });
});

describe.each(OPENAPI_FILES)('$name downgraded to OpenAPI 3.0', (file) => {
  // A 100 kB document takes the validator seconds on a busy 2-core machine; no timing is asserted.
  it('passes an independent OpenAPI 3.0 validator', { timeout: 60_000 }, async () => {
    const downgraded = downgradeOpenApi31To30(file.generate() as Parameters<typeof downgradeOpenApi31To30>[0]);
    expect(downgraded.openapi).toBe('3.0.3');
    const validator = new Validator();
    const result = await validator.validate(downgraded);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.0');
  });
});
