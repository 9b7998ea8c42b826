import type { FastifyRequest } from 'fastify';
import { parse } from 'secure-json-parse';
import { AppError } from './errors.js';

/**
 * Every JSON body the API reads, parsed as Fastify's own parser does (secure-json-parse,
 * a `__proto__` key or a `constructor.prototype` refused), with each refusal saying which
 * problem it is: Fastify's says "not valid JSON" for all three, and a body that is valid
 * JSON with a forbidden key is not that.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
): void {
  if (body.length === 0) {
    done(new AppError('EMPTY_BODY'));
    return;
  }
  let value: unknown;
  try {
    value = parse(body, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    done(refusalOf(error as Error));
    return;
  }
  done(null, value);
}

/** secure-json-parse's own words for a key it refuses (it throws a SyntaxError for both). */
const FORBIDDEN_KEY = 'Object contains forbidden prototype property';

function refusalOf(error: Error): AppError {
  if (error.message === FORBIDDEN_KEY) {
    return new AppError('MALFORMED_JSON', {
      message:
        'The request body has a "__proto__" key or a "constructor" with a "prototype", which this API refuses (prototype poisoning).',
    });
  }
  return new AppError('MALFORMED_JSON', { message: `The request body is not valid JSON: ${error.message}` });
}
