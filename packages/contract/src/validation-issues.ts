import type { z } from 'zod';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

/** Zod's issues as `{ path, message }`, the path prefixed by the part of the request. */
export function toValidationIssues(error: z.ZodError, part: RequestPart): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}
