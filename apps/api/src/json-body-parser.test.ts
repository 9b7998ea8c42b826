import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { parseJsonBody } from './json-body-parser.js';

function parsed(body: string): { error: Error | null; value?: unknown } {
  let result: { error: Error | null; value?: unknown } | undefined;
  parseJsonBody({} as FastifyRequest, body, (error, value) => {
    result = { error, value };
  });
  if (!result) throw new Error('the parser did not call back');
  return result;
}

function refusal(body: string): AppError {
  const { error } = parsed(body);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('parseJsonBody', () => {
  it('parses JSON', () => {
    expect(parsed('{"customer":"Ada","items":[{"qty":1}]}')).toEqual({
      error: null,
      value: { customer: 'Ada', items: [{ qty: 1 }] },
    });
  });

  it('refuses an empty body as EMPTY_BODY', () => {
    expect(refusal('').error).toBe('EMPTY_BODY');
  });

  it('refuses text that is not JSON as MALFORMED_JSON, with the parser’s reason', () => {
    const error = refusal('{"customer":');
    expect(error.error).toBe('MALFORMED_JSON');
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/^The request body is not valid JSON: ./);
  });

  it.each([
    '{"__proto__":{"admin":true}}',
    '{"items":[{"sku":"A","__proto__":false}]}',
    '{"constructor":{"prototype":{"admin":true}}}',
  ])('refuses %s, saying it is the key, not the syntax', (body) => {
    const error = refusal(body);
    expect(error.error).toBe('MALFORMED_JSON');
    expect(error.message).toContain('"__proto__"');
    expect(error.message).not.toContain('not valid JSON');
  });

  it('keeps a "constructor" that is only data', () => {
    expect(parsed('{"constructor":"Ada"}')).toEqual({ error: null, value: { constructor: 'Ada' } });
  });
});
