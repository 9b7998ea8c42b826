// The second opinion of the breaking-change check: Atlassian's openapi-diff (npm
// `openapi-diff`), which compares request and response bodies as sets of values with
// json-schema-diff, and paths, methods and status codes. It reads OpenAPI 3.0 only, so
// both documents go through downgradeOpenApi31To30 first. It does not compare parameters,
// enums, patterns or formats; our own checker (src/openapi-breaking-changes.ts) does.
import openApiDiff from 'openapi-diff';
import { downgradeOpenApi31To30 } from './downgrade-openapi.js';

export interface OpenApiDiffFinding {
  /** openapi-diff's code, e.g. `response.body.scope.add`, `method.remove`. */
  code: string;
  /** `GET /orders/{id}`, or the path alone when the whole path is gone. */
  operation: string;
  /** Where in the source document, e.g. `paths./orders.get.responses.200.content.application/json.schema`. */
  location: string;
}

type Document = Parameters<typeof downgradeOpenApi31To30>[0];

export async function findBreakingChangesWithOpenApiDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Promise<OpenApiDiffFinding[]> {
  const spec = (document: Record<string, unknown>, location: string) => ({
    content: JSON.stringify(downgradeOpenApi31To30(document as Document)),
    location,
    format: 'openapi3' as const,
  });
  const outcome = await openApiDiff.diffSpecs({
    sourceSpec: spec(before, 'before'),
    destinationSpec: spec(after, 'after'),
  });
  if (!outcome.breakingDifferencesFound) return [];
  return outcome.breakingDifferences.map((difference) => {
    const location =
      difference.sourceSpecEntityDetails[0]?.location ?? difference.destinationSpecEntityDetails[0]?.location ?? '';
    return { code: difference.code, operation: operationOf(location), location };
  });
}

function operationOf(location: string): string {
  const match = /^paths\.(.+?)(?:\.(get|put|post|delete|options|head|patch|trace))?(?:\.|$)/.exec(location);
  if (!match?.[1]) return location;
  return match[2] ? `${match[2].toUpperCase()} ${match[1]}` : match[1];
}

export function formatOpenApiDiffFinding(finding: OpenApiDiffFinding): string {
  return `${finding.operation} · ${finding.location} [openapi-diff ${finding.code}]`;
}
