import type { ValidationIssue } from '@tandem/contract';
import { ApiError } from '../../api-error';

const RENAMED: readonly [RegExp, string][] = [
  [/^body\.customerName(?=\.|$)/, 'body.customer'],
  [/^(body\.items\.\d+)\.quantity(?=\.|$)/, '$1.qty'],
  // v2's price is an object; the form has one field for it, so its parts all land there.
  [/^(body\.items\.\d+)\.unitPrice(?:\.(?:amountMinor|currency))?(?=\.|$)/, '$1.price'],
];

/** A v2 issue path (`body.items.0.unitPrice.amountMinor`) as the form's field (`body.items.0.price`). */
export function issuePathToV1(path: string): string {
  for (const [pattern, replacement] of RENAMED) {
    if (pattern.test(path)) return path.replace(pattern, replacement);
  }
  return path;
}

/** `error` with its validation issues named by the SPA's fields; anything else unchanged. */
export function withV1IssuePaths(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.issues.length === 0) return error;
  const issues: ValidationIssue[] = error.issues.map((issue) => ({ ...issue, path: issuePathToV1(issue.path) }));
  return new ApiError({
    name: error.name,
    message: error.message,
    status: error.status,
    code: error.code,
    issues,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}
