import type { RequestPart, ValidationIssue } from '@tandem/contract';

/** Messages per field path (`customer`, `items.0.qty`); `''` holds those of the whole request. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

/**
 * Groups the server's validation issues by the field they name, relative to one part of
 * the request: with `body`, `body.items.0.qty` becomes `items.0.qty` and `body` itself
 * becomes `''`. Issues about another part (say `query.limit`) also land in `''`, their
 * path kept in the message, so no message is ever dropped.
 */
export function fieldErrorsOf(issues: readonly ValidationIssue[], part: RequestPart = 'body'): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const inPart = issue.path === part || issue.path.startsWith(`${part}.`);
    const field = inPart ? issue.path.slice(part.length + 1) : '';
    const message = inPart ? issue.message : `${issue.path}: ${issue.message}`;
    errors[field] ??= [];
    if (!errors[field].includes(message)) errors[field].push(message);
  }
  return errors;
}
