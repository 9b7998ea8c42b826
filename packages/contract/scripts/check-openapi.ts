// `pnpm openapi:check`: fails when a committed OpenAPI file is stale (run `pnpm openapi`),
// or when the contract changed a published version in a way its clients break on. Each
// version's committed document is compared with the one the contract generates now by two
// checkers, ours (src/openapi-breaking-changes.ts) and openapi-diff. `--base <git-ref>`
// also compares with the version documents at that ref (e.g. `--base origin/main` before
// merging a branch that regenerated them). Last, v1 → v2 must be breaking: that is why v2
// exists, and it proves both checkers see a breaking change when there is one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { API_VERSIONS, type ApiVersion } from '../src/api-versions.js';
import { findBreakingChanges, formatBreakingChange } from '../src/openapi-breaking-changes.js';
import { findBreakingChangesWithOpenApiDiff, formatOpenApiDiffFinding } from './openapi-diff-breaking-changes.js';
import { OPENAPI_FILES, serializeOpenApi, versionFile } from './openapi-files.js';

type Document = Record<string, unknown>;
const problems: string[] = [];

for (const file of OPENAPI_FILES) {
  const committed = readCommitted(file.path);
  if (committed !== serializeOpenApi(file.generate())) problems.push(`${file.name} is stale: run \`pnpm openapi\`.`);
}

const baseIndex = process.argv.indexOf('--base');
const requestedBase = baseIndex >= 0 ? process.argv[baseIndex + 1] : undefined;
const baseRef = requestedBase && gitRefExists(requestedBase) ? requestedBase : undefined;
if (baseIndex >= 0 && !baseRef) {
  problems.push(`--base needs a git ref that exists, e.g. --base origin/main (got ${requestedBase ?? 'nothing'}).`);
}

for (const version of API_VERSIONS) {
  const file = versionFile(version);
  const generated = file.generate();
  const committed = readCommitted(file.path);
  if (committed)
    await expectCompatible(`${file.name} (committed) → the contract now`, JSON.parse(committed), generated);
  if (baseRef) {
    const atBase = gitShow(baseRef, file.name);
    if (atBase === undefined) console.log(`${file.name} is not in ${baseRef}: nothing to compare.`);
    else await expectCompatible(`${file.name} at ${baseRef} → the contract now`, JSON.parse(atBase), generated);
  }
}

const [first, second] = API_VERSIONS as readonly ApiVersion[];
if (first && second) {
  const before = versionFile(first).generate();
  const after = versionFile(second).generate();
  const ours = findBreakingChanges(before, after);
  const theirs = await findBreakingChangesWithOpenApiDiff(before, after);
  console.log(
    `${first} → ${second}: ${ours.length} breaking changes (ours), ${theirs.length} (openapi-diff) — expected, that is why it is ${second}.`,
  );
  if (ours.length === 0 || theirs.length === 0) {
    problems.push(`${first} → ${second} shows no breaking change to a checker: the check itself is broken.`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`✗ ${problem}`);
  process.exit(1);
}
console.log(`✓ ${OPENAPI_FILES.map((file) => file.name).join(', ')} are current; no version breaks its clients.`);

async function expectCompatible(label: string, before: Document, after: Document): Promise<void> {
  const ours = findBreakingChanges(before, after);
  const theirs = await findBreakingChangesWithOpenApiDiff(before, after);
  if (ours.length === 0 && theirs.length === 0) return;
  problems.push(
    [
      `${label}: breaks clients of a published version. Add a new operation or a new version instead.`,
      ...ours.map((change) => `    ${formatBreakingChange(change)}`),
      ...theirs.map((finding) => `    ${formatOpenApiDiffFinding(finding)}`),
    ].join('\n'),
  );
}

function readCommitted(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // missing counts as stale
  }
}

function gitRefExists(ref: string): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function gitShow(ref: string, repositoryPath: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${ref}:${repositoryPath}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}
