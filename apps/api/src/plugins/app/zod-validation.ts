import type { RequestPart } from '@tandem/contract';
import { toValidationIssues } from '@tandem/contract';
import fp from 'fastify-plugin';
import type { z } from 'zod';
import { AppError } from '../../errors.js';

const PART_OF: Record<string, RequestPart> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/**
 * Validates request input with the contract's Zod schemas (the route's `schema.params`,
 * `querystring`, `body`). `safeParse` also decodes codecs, so a handler receives a `Date`
 * or a decoded cursor, never the wire string. Failures are a 400 naming each field.
 */
export default fp(
  async (app) => {
    app.setValidatorCompiler(({ schema, httpPart }) => {
      const zodSchema = schema as unknown as z.ZodType;
      const part = PART_OF[httpPart ?? 'body'] ?? 'body';
      return (data: unknown) => {
        // No body at all (and no content type to reject) is its own, clearer error.
        if (part === 'body' && (data === undefined || data === null)) return { error: new AppError('EMPTY_BODY') };
        const result = zodSchema.safeParse(data);
        if (result.success) return { value: result.data };
        const issues = toValidationIssues(result.error, part);
        const [first] = issues;
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
        const message = first ? `Invalid ${first.path}: ${first.message}${more}` : undefined;
        return { error: new AppError('VALIDATION_FAILED', { issues, message }) };
      };
    });
  },
  { name: 'zod-validation' },
);
