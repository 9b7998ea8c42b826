import type { z } from 'zod';

export type RequestPart = 'body' | 'query' | 'params' | 'headers' | 'cookies';

/**
 * Zod's issues as `{ path, message }`, the path prefixed by the part of the request.
 * An unknown field becomes one issue at its own path (`body.total`), so a form can show
 * it beside the field and a log names it exactly.
 */
export function toValidationIssues(error: z.ZodError, part: RequestPart): { path: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const path = [part, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'Unknown field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}
