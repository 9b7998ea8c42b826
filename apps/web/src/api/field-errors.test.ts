import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from './field-errors';

describe('fieldErrorsOf', () => {
  it('maps body paths to form fields', () => {
    expect(
      fieldErrorsOf([
        { path: 'body.customer', message: 'Too small' },
        { path: 'body.items.0.qty', message: 'Too big' },
        { path: 'body.items.1.sku', message: 'Bad SKU' },
        { path: 'body.items', message: 'Too many' },
      ]),
    ).toEqual({
      customer: ['Too small'],
      'items.0.qty': ['Too big'],
      'items.1.sku': ['Bad SKU'],
      items: ['Too many'],
    });
  });

  it('groups several messages of one field, once each', () => {
    expect(
      fieldErrorsOf([
        { path: 'body.customer', message: 'Too small' },
        { path: 'body.customer', message: 'Required' },
        { path: 'body.customer', message: 'Too small' },
      ]),
    ).toEqual({ customer: ['Too small', 'Required'] });
  });

  it('puts issues of the whole body and of other request parts under the empty key', () => {
    expect(
      fieldErrorsOf([
        { path: 'body', message: 'Invalid input: expected object' },
        { path: 'query.limit', message: 'Too big' },
        { path: 'bodyguard', message: 'Not a body path' },
      ]),
    ).toEqual({ '': ['Invalid input: expected object', 'query.limit: Too big', 'bodyguard: Not a body path'] });
  });

  it('reads other request parts when asked', () => {
    expect(fieldErrorsOf([{ path: 'query.limit', message: 'Too big' }], 'query')).toEqual({ limit: ['Too big'] });
  });
});
