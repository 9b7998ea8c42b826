import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api-error';
import { issuePathToV1, withV1IssuePaths } from './issue-paths-to-v1';

describe('issuePathToV1', () => {
  it("names v2's fields as the create form's", () => {
    expect(issuePathToV1('body.customerName')).toBe('body.customer');
    expect(issuePathToV1('body.items.3.quantity')).toBe('body.items.3.qty');
    expect(issuePathToV1('body.items.0.unitPrice.amountMinor')).toBe('body.items.0.price');
    expect(issuePathToV1('body.items.0.unitPrice.currency')).toBe('body.items.0.price');
    expect(issuePathToV1('body.items.0.unitPrice')).toBe('body.items.0.price');
  });

  it('leaves paths v2 did not rename alone', () => {
    expect(issuePathToV1('body.items.0.sku')).toBe('body.items.0.sku');
    expect(issuePathToV1('body.items')).toBe('body.items');
    expect(issuePathToV1('body.customerNameX')).toBe('body.customerNameX');
  });
});

describe('withV1IssuePaths', () => {
  it("rewrites a validation error's issues and keeps the rest of it", () => {
    const error = new ApiError({
      name: 'VALIDATION_FAILED',
      message: 'Validation failed',
      status: 400,
      code: 40001,
      requestId: 'req-1',
      issues: [{ path: 'body.items.0.unitPrice.amountMinor', message: 'Invalid input: expected int' }],
    });
    const rewritten = withV1IssuePaths(error);
    expect(rewritten).toBeInstanceOf(ApiError);
    expect(rewritten).toMatchObject({ name: 'VALIDATION_FAILED', status: 400, code: 40001, requestId: 'req-1' });
    expect((rewritten as ApiError).issues).toEqual([
      { path: 'body.items.0.price', message: 'Invalid input: expected int' },
    ]);
  });

  it('passes other failures through untouched', () => {
    const network = new ApiError({ name: 'NETWORK', message: 'down', status: 0, code: 0 });
    expect(withV1IssuePaths(network)).toBe(network);
  });
});
