// What of this repository is the workshop rather than the product: the files and folders
// `pnpm template:strip` leaves out, and the few JSON keys it deletes. Inside product files
// the workshop is fenced by lab markers instead (lab-markers.mjs).

/** Repository-relative paths (a trailing slash: the whole folder) that belong to the workshop. */
export const WORKSHOP_PATHS = [
  // the lab layers
  'apps/api/src/labs/',
  'apps/web/src/labs/',
  'apps/web/e2e/labs/',
  'packages/contract/src/labs/',
  // `pnpm lab` and its pages
  'labs/',
  'docs/labs/',
  'docs/decisions/0005-labs-as-run-time-switches.md',
  'loadtests/scenarios/labs/',
  'loadtests/lib/lab-switch.ts',
  'observability/src/dashboards/labs.ts',
  'observability/grafana/dashboards/labs.json',
  // the stripping itself and the checks that only make sense while there are labs
  'scripts/template-strip.mjs',
  'scripts/lib/template-strip.mjs',
  'scripts/lib/template-strip.test.mjs',
  'scripts/lib/workshop-files.mjs',
  'scripts/lib/lab-markers.mjs',
  'scripts/lib/lab-markers.test.mjs',
  'scripts/lib/lab-boundary.mjs',
  'scripts/lib/lab-boundary.test.mjs',
  'scripts/lib/workshop-tests.mjs',
  'scripts/lib/workshop-tests.test.mjs',
];

/**
 * Keys deleted from JSON files, as paths of property names.
 * @type {{ file: string, keys: string[][] }[]}
 */
export const WORKSHOP_JSON_KEYS = [
  {
    file: 'package.json',
    keys: [
      ['scripts', 'lab'],
      ['scripts', 'template:strip'],
    ],
  },
  { file: 'packages/contract/package.json', keys: [['exports', './labs']] },
  { file: 'apps/web/package.json', keys: [['exports', './labs']] },
];

/** The pnpm workspace packages that are the workshop's (their importers leave the lockfile). */
export const WORKSHOP_PACKAGES = ['labs'];

/** @param {string} path repository-relative, forward slashes */
export function isWorkshopPath(path) {
  return WORKSHOP_PATHS.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
}
